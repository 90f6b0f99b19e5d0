using System.Diagnostics;

namespace TokenFunction.Tests.Infra.Hooks;

/// <summary>The two shells a hook has a script for: POSIX sh, and its PowerShell twin for Windows.</summary>
public enum HookShell
{
    Sh,
    Pwsh,
}

/// <summary>One finished hook run: its output, and what the fake az and azd were asked and stored.</summary>
public sealed record HookRun(int ExitCode, string StdOut, string StdErr, IReadOnlyList<string> Calls, FakeAzureClis Clis)
{
    public string Output => StdOut + StdErr;

    public IEnumerable<string> AzCalls(string command) => Calls.Where(call => call.StartsWith($"az {command}", StringComparison.Ordinal));

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}\n--- calls\n{string.Join('\n', Calls)}";
}

/// <summary>
/// Fake `az` and `azd` first on PATH: sh scripts that record every invocation (one line of arguments each)
/// and play a small Key Vault and azd environment kept in files, so the hooks run unchanged with no Azure.
/// </summary>
public sealed class FakeAzureClis : IDisposable
{
    // Arguments are recorded exactly; secret set copies the --file content into the vault folder and records
    // the file's mode and path so a test can check it was private and removed.
    private const string FakeAz = """
        #!/bin/sh
        printf 'az %s\n' "$*" >> "$FAKE_STATE/calls"
        case "$1 $2" in
          "account show") printf '%s\n' "${FAKE_USER_TYPE:-user}" ;;
          "keyvault show") [ "${FAKE_VAULT:-active}" = active ] || { echo "(VaultNotFound) not found" >&2; exit 3; }; echo "$4" ;;
          "keyvault show-deleted") [ "${FAKE_VAULT:-active}" = deleted ] && echo "$4"; exit 0 ;;
          "keyvault recover") echo recovered > "$FAKE_STATE/recovered" ;;
          "group exists") echo false ;;
          "group create") : ;;
          "keyvault secret")
            case "$3" in
              list)
                failures=$(cat "$FAKE_STATE/list-failures" 2>/dev/null || echo "${FAKE_LIST_FAILURES:-0}")
                if [ "$failures" -gt 0 ]; then echo $((failures - 1)) > "$FAKE_STATE/list-failures"; echo "$FAKE_LIST_ERROR" >&2; exit 1; fi
                ls "$FAKE_STATE/vault" ;;
              set)
                shift 3; name=; file=; tags=
                while [ $# -gt 0 ]; do
                  case "$1" in --name) name=$2; shift ;; --file) file=$2; shift ;; --tags) tags=$2; shift ;; esac; shift
                done
                version=$(date +%s%N | cut -c1-32)
                cp "$file" "$FAKE_STATE/vault/$name"
                printf '%s %s %s %s\n' "$name" "$version" "$(stat -c %a "$file")" "$file" >> "$FAKE_STATE/writes"
                printf '%s\n' "$tags" > "$FAKE_STATE/tags-$name"
                printf 'https://fake.vault.azure.net/secrets/%s/%s\n' "$name" "$version" ;;
            esac ;;
        esac
        """;

    private const string FakeAzd = """
        #!/bin/sh
        printf 'azd %s\n' "$*" >> "$FAKE_STATE/calls"
        case "$1 $2" in
          "env set") printf '%s=%s\n' "$3" "$4" >> "$FAKE_STATE/azd-env" ;;
          "env get-value") sed -n "s/^$3=//p" "$FAKE_STATE/azd-env" ;;
        esac
        """;

    // Everything the hooks read; a developer's own values must not leak into a run.
    private static readonly string[] HookEnvironment =
    [
        "AZURE_PRINCIPAL_TYPE", "AZURE_PRINCIPAL_ID", "AZURE_KEY_VAULT_NAME", "KEY_VAULT_NAME", "KEY_VAULT_ON_DELETED",
        "AZURE_RESOURCE_GROUP", "AZURE_LOCATION", "CALLER_AUTH_AUTHORITY", "CALLER_AUTH_AUDIENCE", "ALLOW_ANONYMOUS_CALLERS",
        "VIDEOSDK_API_KEY", "VIDEOSDK_API_SECRET", "TOKEN_ENDPOINT_URL", "NETWORK_ISOLATION",
    ];

    private readonly string _root = Directory.CreateTempSubdirectory("fake-azure-").FullName;

    public FakeAzureClis()
    {
        Directory.CreateDirectory(BinDirectory);
        Directory.CreateDirectory(VaultDirectory);
        File.WriteAllText(Path.Combine(State, "calls"), "");
        WriteExecutable("az", FakeAz);
        WriteExecutable("azd", FakeAzd);
    }

    private string BinDirectory => Path.Combine(_root, "bin");

    private string State => _root;

    private string VaultDirectory => Path.Combine(_root, "vault");

    /// <summary>Puts a secret in the fake vault, as if set earlier.</summary>
    public void SetSecret(string name, string value) => File.WriteAllText(Path.Combine(VaultDirectory, name), value);

    public string? Secret(string name) => File.Exists(Path.Combine(VaultDirectory, name)) ? File.ReadAllText(Path.Combine(VaultDirectory, name)) : null;

    public string? Tags(string name) => File.Exists(Path.Combine(State, $"tags-{name}")) ? File.ReadAllText(Path.Combine(State, $"tags-{name}")).Trim() : null;

    /// <summary>Each write: secret name, version, octal mode of the file it came from, and that file's path.</summary>
    public IReadOnlyList<(string Name, string Version, string Mode, string File)> Writes =>
        File.Exists(Path.Combine(State, "writes"))
            ? File.ReadAllLines(Path.Combine(State, "writes")).Select(line => line.Split(' ')).Select(f => (f[0], f[1], f[2], f[3])).ToList()
            : [];

    public IReadOnlyDictionary<string, string> AzdEnvironment =>
        File.Exists(Path.Combine(State, "azd-env"))
            ? File.ReadAllLines(Path.Combine(State, "azd-env")).Select(line => line.Split('=', 2)).ToDictionary(p => p[0], p => p[1])
            : new Dictionary<string, string>();

    public bool Recovered => File.Exists(Path.Combine(State, "recovered"));

    /// <summary>Runs scripts/{hook}.sh or scripts/{hook}.ps1 with the given environment, stdin not a terminal.</summary>
    public async Task<HookRun> RunAsync(HookShell shell, string hook, IReadOnlyDictionary<string, string> environment)
    {
        await ToolsFor(shell);
        var start = shell == HookShell.Sh
            ? new ProcessStartInfo("sh") { ArgumentList = { ScriptPath(hook, shell) } }
            : new ProcessStartInfo("dotnet") { ArgumentList = { "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-File", ScriptPath(hook, shell) } };
        using var process = Start(start, environment);
        process.StandardInput.Close();
        return await FinishAsync(process, process.StandardOutput.ReadToEndAsync());
    }

    /// <summary>
    /// Runs the hook on a pseudo-terminal (util-linux `script`), as azd's interactive hooks do, answering each
    /// prompt only once it has appeared, as a person would (the terminal echoes what is typed unless the script
    /// switched echo off before). Everything the terminal showed is the run's output.
    /// </summary>
    public async Task<HookRun> RunInTerminalAsync(HookShell shell, string hook, IReadOnlyDictionary<string, string> environment, params (string Prompt, string Reply)[] answers)
    {
        await ToolsFor(shell);
        var command = shell == HookShell.Sh
            ? $"sh '{ScriptPath(hook, shell)}'"
            : $"dotnet tool run pwsh -- -NoProfile -File '{ScriptPath(hook, shell)}'";
        using var process = Start(new ProcessStartInfo("script") { ArgumentList = { "--quiet", "--return", "--command", command, "/dev/null" } }, environment);
        var screen = new System.Text.StringBuilder();
        var input = new SemaphoreSlim(1);
        var reading = Task.Run(async () =>
        {
            var buffer = new char[256];
            var answered = 0;
            int read;
            while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
            {
                int asked;
                lock (screen)
                {
                    screen.Append(buffer, 0, read);
                    asked = CountOf(screen.ToString(), CursorPositionQuery);
                }
                // PowerShell's console asks the terminal where the cursor is and waits for the answer.
                for (; answered < asked; answered++)
                {
                    await WriteAsync(process, input, "\u001b[1;1R");
                }
            }
            return screen.ToString();
        });
        foreach (var (prompt, reply) in answers)
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!Shown(screen, prompt))
            {
                await Task.Delay(50, wait.Token);
            }
            await Task.Delay(200, wait.Token);
            // Enter is a carriage return on a terminal (the line discipline turns it into a newline for sh).
            await WriteAsync(process, input, reply + "\r");
        }
        var result = await FinishAsync(process, reading);
        input.Dispose();
        return result;
    }

    private const string CursorPositionQuery = "\u001b[6n";

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static async Task WriteAsync(Process process, SemaphoreSlim input, string text)
    {
        await input.WaitAsync();
        try
        {
            await process.StandardInput.WriteAsync(text);
            await process.StandardInput.FlushAsync();
        }
        finally
        {
            input.Release();
        }
    }

    private static bool Shown(System.Text.StringBuilder screen, string prompt)
    {
        lock (screen)
        {
            return screen.ToString().Contains(prompt, StringComparison.Ordinal);
        }
    }

    /// <summary>PowerShell is a dotnet local tool (.config/dotnet-tools.json): restored before the first script it runs.</summary>
    private static Task ToolsFor(HookShell shell) =>
        shell == HookShell.Sh ? Task.CompletedTask : Prerequisites.Machine.EnsureDotnetToolsAsync(InfraWorkspace.RepositoryRoot);

    private static string ScriptPath(string hook, HookShell shell) =>
        Path.Combine(InfraWorkspace.RepositoryRoot, "scripts", hook + (shell == HookShell.Sh ? ".sh" : ".ps1"));

    private Process Start(ProcessStartInfo start, IReadOnlyDictionary<string, string> environment)
    {
        start.WorkingDirectory = InfraWorkspace.RepositoryRoot;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var name in HookEnvironment)
        {
            start.Environment.Remove(name);
        }
        start.Environment["PATH"] = BinDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        start.Environment["FAKE_STATE"] = State;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
    }

    private async Task<HookRun> FinishAsync(Process process, Task<string> stdout)
    {
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        var calls = File.ReadAllLines(Path.Combine(State, "calls"));
        return new HookRun(process.ExitCode, await stdout, await stderr, calls, this);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void WriteExecutable(string name, string content)
    {
        var path = Path.Combine(BinDirectory, name);
        File.WriteAllText(path, content.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        // The fakes are sh scripts: these tests run where sh does (Linux, macOS), not on Windows.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
