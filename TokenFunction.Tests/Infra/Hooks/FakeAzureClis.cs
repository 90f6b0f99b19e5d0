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
/// Fake `az`, `azd` and `sleep` first on PATH: sh scripts that record every invocation (one line of arguments
/// each) and play a small Key Vault, its network rules, a directory and an azd environment kept in files, so
/// the hooks run unchanged with no Azure. The vault's refusals are worded as Key Vault words them (the texts
/// the hooks match: ForbiddenByRbac, ForbiddenByConnection, ForbiddenByFirewall with "Client address: ...").
/// The fake sleep returns at once (recording "sleep N"), so a hook's 10-minute wait runs in moments with its
/// real timings; PowerShell's Start-Sleep is shadowed the same way.
/// </summary>
public sealed class FakeAzureClis : IDisposable
{
    /// <summary>The subscription the hooks are given (AZURE_SUBSCRIPTION_ID); every az call must name it.</summary>
    public const string Subscription = "00000000-0000-4000-8000-00000000f00d";

    // Arguments are recorded exactly; secret set copies the --file content into the vault folder and records
    // the file's mode and path so a test can check it was private and removed.
    private const string FakeAz = """
        #!/bin/sh
        printf 'az %s\n' "$*" >> "$FAKE_STATE/calls"
        state=$FAKE_STATE
        all=$* one=$1 two=${2:-} three=${3:-}
        name= file= tags= expires= ip= access= id=
        while [ $# -gt 0 ]; do
          case $1 in
            --name | --vault-name) name=$2; shift ;;
            --file) file=$2; shift ;;
            --tags) tags=$2; shift ;;
            --expires) expires=$2; shift ;;
            --ip-address) ip=$2; shift ;;
            --public-network-access) access=$2; shift ;;
            --id | --group) id=$2; shift ;;
          esac
          shift
        done
        # public: Enabled, default action Allow; closed: public access Disabled; open: Enabled with default action Deny.
        network() { cat "$state/network" 2> /dev/null || { [ "${FAKE_NETWORK:-public}" = isolated ] && echo closed || echo public; }; }
        client_address() {
          if [ -n "${FAKE_SECOND_CLIENT_IP:-}" ] && grep -qx "$FAKE_CLIENT_IP" "$state/ip-rules" 2> /dev/null; then
            echo "$FAKE_SECOND_CLIENT_IP"
          else
            echo "${FAKE_CLIENT_IP:-203.0.113.7}"
          fi
        }
        data_plane() {
          case $(network) in
            closed)
              printf '(Forbidden) Public network access is disabled and request is not from a trusted service nor via an approved private link.\nCode: Forbidden\nMessage: Public network access is disabled and request is not from a trusted service nor via an approved private link.\nInner error: {\n    "code": "ForbiddenByConnection"\n}\n' >&2
              exit 1 ;;
            open)
              address=$(client_address)
              if ! grep -qx "$address" "$state/ip-rules" 2> /dev/null; then
                printf '(Forbidden) Client address is not authorized and caller is not a trusted service.\nClient address: %s\nCaller: appid=00000000-0000-0000-0000-000000000000;oid=11111111-1111-1111-1111-111111111111\nVault: %s;location=westeurope\nCode: Forbidden\nInner error: {\n    "code": "ForbiddenByFirewall"\n}\n' "$address" "$name" >&2
                exit 1
              fi ;;
          esac
          failures=$(cat "$state/rbac-failures" 2> /dev/null || echo "${FAKE_RBAC_FAILURES:-0}")
          if [ "$failures" -gt 0 ]; then
            echo $((failures - 1)) > "$state/rbac-failures"
            printf '(Forbidden) Caller is not authorized to perform action on resource.\nCode: Forbidden\nInner error: {\n    "code": "ForbiddenByRbac"\n}\n' >&2
            exit 1
          fi
        }
        case "$one $two" in
          "ad sp" | "ad user" | "ad group")
            if [ "${FAKE_DIRECTORY:-}" = refuse ]; then echo "ERROR: Insufficient privileges to complete the operation." >&2; exit 1; fi
            if [ "${FAKE_PRINCIPAL_KIND:-user}" = "$two" ]; then echo "$id"; exit 0; fi
            echo "ERROR: Resource '$id' does not exist or one of its queried reference-property objects are not present." >&2
            exit 3 ;;
          "keyvault show") [ "${FAKE_VAULT:-active}" = active ] || { echo "(VaultNotFound) not found" >&2; exit 3; }; echo "$name" ;;
          "keyvault show-deleted") [ "${FAKE_VAULT:-active}" = deleted ] && echo "$name"; exit 0 ;;
          "keyvault recover") echo recovered > "$state/recovered" ;;
          "keyvault update")
            case $access in Enabled) echo open > "$state/network" ;; Disabled) echo closed > "$state/network" ;; esac ;;
          "keyvault network-rule")
            touch "$state/ip-rules"
            case $three in
              add) echo "$ip" >> "$state/ip-rules" ;;
              remove) grep -vx "$ip" "$state/ip-rules" > "$state/ip-rules.new" || true; mv "$state/ip-rules.new" "$state/ip-rules" ;;
            esac ;;
          "group exists") echo false ;;
          "group create") : ;;
          "rest "*)
            case $all in
              # The app is asked to resolve its Key Vault references again.
              *"/config/configreferences/appsettings/refresh?"*)
                if [ -n "${FAKE_REFRESH_FAILS:-}" ]; then echo "(AuthorizationFailed) The client does not have authorization to perform action" >&2; exit 1; fi
                printf '%s\n' "$all" >> "$state/refreshes" ;;
              # Azure Resource Manager lists a vault's secrets (names, no values) whatever the vault's network rules.
              *) ls "$state/vault" ;;
            esac ;;
          "keyvault secret")
            data_plane
            case $three in
              list) ls "$state/vault" ;;
              set)
                if [ -n "${FAKE_SET_FAILS:-}" ]; then echo "(InternalServerError) The service failed" >&2; exit 1; fi
                if [ -n "${FAKE_SET_BLOCKS:-}" ]; then touch "$state/blocked"; /bin/sleep 60; fi
                version=$(date +%s%N | cut -c1-32)
                cp "$file" "$state/vault/$name"
                printf '%s %s %s %s\n' "$name" "$version" "$(stat -c %a "$file")" "$file" >> "$state/writes"
                printf '%s\n' "$tags" > "$state/tags-$name"
                printf '%s\n' "$expires" > "$state/expires-$name"
                printf 'https://fake.vault.azure.net/secrets/%s/%s\n' "$name" "$version" ;;
            esac ;;
          *) echo "fake az: no such command in the fake: $all" >&2; exit 2 ;;
        esac
        """;

    private const string FakeAzd = """
        #!/bin/sh
        printf 'azd %s\n' "$*" >> "$FAKE_STATE/calls"
        case "$1 $2" in
          "env set") printf '%s=%s\n' "$3" "$4" >> "$FAKE_STATE/azd-env" ;;
          "env get-value") sed -n "s/^$3=//p" "$FAKE_STATE/azd-env" 2> /dev/null ;;
          "auth status")
            case ${FAKE_AZD_ACCOUNT:-user} in
              none) printf '{\n  "status": "unauthenticated"\n}\n'; exit 1 ;;
              *) printf '{\n  "status": "authenticated",\n  "type": "%s",\n  "expiresOn": "2026-12-07T18:00:00Z"\n}\n' "${FAKE_AZD_ACCOUNT:-user}" ;;
            esac ;;
        esac
        """;

    private const string FakeSleep = """
        #!/bin/sh
        printf 'sleep %s\n' "$*" >> "$FAKE_STATE/calls"
        """;

    // Everything the hooks read; a developer's own values must not leak into a run.
    private static readonly string[] HookEnvironment =
    [
        "AZURE_SUBSCRIPTION_ID", "AZURE_TENANT_ID", "AZURE_PRINCIPAL_TYPE", "AZURE_PRINCIPAL_ID", "OPERATOR_PRINCIPAL_TYPE",
        "AZURE_KEY_VAULT_NAME", "KEY_VAULT_NAME", "KEY_VAULT_ON_DELETED", "AZURE_RESOURCE_GROUP", "AZURE_LOCATION",
        "CALLER_AUTH_AUTHORITY", "CALLER_AUTH_AUDIENCE", "ALLOW_ANONYMOUS_CALLERS", "VIDEOSDK_API_KEY", "VIDEOSDK_API_SECRET",
        "VIDEOSDK_SECRET_EXPIRY_DAYS", "TOKEN_ENDPOINT_URL", "NETWORK_ISOLATION", "SMOKE_TIMEOUT_SECONDS", "SMOKE_INTERVAL_SECONDS",
        "GLOBAL_RATE_LIMIT", "RATE_LIMIT_KEY_SECRET_NAME", "FUNCTION_APP_NAME",
    ];

    private readonly string _root = Directory.CreateTempSubdirectory("fake-azure-").FullName;

    /// <param name="fakeSleep">
    /// False keeps the real sleep: for the smoke check, whose waits are bounded by the clock, not by a count.
    /// </param>
    /// <param name="scriptsDirectory">Where the hooks are: the repository's scripts/, or a copy with a planted fault.</param>
    public FakeAzureClis(bool fakeSleep = true, string? scriptsDirectory = null)
    {
        ScriptsDirectory = scriptsDirectory ?? Path.Combine(InfraWorkspace.RepositoryRoot, "scripts");
        Directory.CreateDirectory(BinDirectory);
        Directory.CreateDirectory(VaultDirectory);
        File.WriteAllText(Path.Combine(State, "calls"), "");
        WriteExecutable("az", FakeAz);
        WriteExecutable("azd", FakeAzd);
        if (fakeSleep)
        {
            WriteExecutable("sleep", FakeSleep);
        }
        FakesSleep = fakeSleep;
    }

    private bool FakesSleep { get; }

    private string ScriptsDirectory { get; }

    private string BinDirectory => Path.Combine(_root, "bin");

    private string State => _root;

    private string VaultDirectory => Path.Combine(_root, "vault");

    /// <summary>Puts a secret in the fake vault, as if set earlier.</summary>
    public void SetSecret(string name, string value) => File.WriteAllText(Path.Combine(VaultDirectory, name), value);

    /// <summary>Stores a value in the fake azd environment, as an earlier `azd env set` or provision would have.</summary>
    public void SetAzdValue(string name, string value) => File.AppendAllText(Path.Combine(State, "azd-env"), $"{name}={value}\n");

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

    /// <summary>Each request (its az arguments) that asked the app to resolve its Key Vault references again.</summary>
    public IReadOnlyList<string> ReferenceRefreshes =>
        File.Exists(Path.Combine(State, "refreshes")) ? File.ReadAllLines(Path.Combine(State, "refreshes")) : [];

    /// <summary>The expiry az was given for the secret's last write (--expires), if any.</summary>
    public DateTimeOffset? Expires(string name) =>
        File.Exists(Path.Combine(State, $"expires-{name}")) && File.ReadAllText(Path.Combine(State, $"expires-{name}")).Trim() is { Length: > 0 } text
            ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    /// <summary>The vault's network state: public (default action Allow), closed (public access Disabled) or open (Enabled, default Deny).</summary>
    public string Network(string initial) => File.Exists(Path.Combine(State, "network")) ? File.ReadAllText(Path.Combine(State, "network")).Trim() : initial;

    /// <summary>The IP rules now on the vault.</summary>
    public IReadOnlyList<string> IpRules =>
        File.Exists(Path.Combine(State, "ip-rules")) ? File.ReadAllLines(Path.Combine(State, "ip-rules")).Where(line => line.Length > 0).ToList() : [];

    /// <summary>Runs scripts/{hook}.sh or scripts/{hook}.ps1 with the given environment, stdin not a terminal.</summary>
    public async Task<HookRun> RunAsync(HookShell shell, string hook, IReadOnlyDictionary<string, string> environment)
    {
        await ToolsFor(shell);
        using var process = StartInOwnProcessGroup(shell, hook, environment);
        return await FinishAsync(process, process.StandardOutput.ReadToEndAsync());
    }

    /// <summary>
    /// Runs the hook until the fake az blocks in `keyvault secret set` (FAKE_SET_BLOCKS), then sends the signal
    /// to the hook's whole process group, as a terminal does for Ctrl-C (INT) or a closed window (HUP), and as a
    /// cancelled CI job does (TERM); the fake az dies with it, as a real one would.
    /// </summary>
    public async Task<HookRun> RunAndSignalAsync(HookShell shell, string hook, IReadOnlyDictionary<string, string> environment, string signal)
    {
        await ToolsFor(shell);
        using var process = StartInOwnProcessGroup(shell, hook, new Dictionary<string, string>(environment) { ["FAKE_SET_BLOCKS"] = "1" });
        var stdout = process.StandardOutput.ReadToEndAsync();
        using (var wait = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            while (!File.Exists(Path.Combine(State, "blocked")))
            {
                await Task.Delay(50, wait.Token);
            }
        }
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-s", signal, "--", $"-{process.Id}" } })!)
        {
            await kill.WaitForExitAsync();
        }
        return await FinishAsync(process, stdout);
    }

    // setsid gives the hook a process group of its own (its id is the hook's pid), so a test can signal the hook
    // and its children without signalling itself.
    private Process StartInOwnProcessGroup(HookShell shell, string hook, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("setsid");
        if (shell == HookShell.Sh)
        {
            start.ArgumentList.Add("sh");
            start.ArgumentList.Add(ScriptPath(hook, shell));
        }
        else
        {
            foreach (var argument in new[] { "dotnet", "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-Command", PowerShellCommand(hook) })
            {
                start.ArgumentList.Add(argument);
            }
        }
        var process = Start(start, environment);
        process.StandardInput.Close();
        return process;
    }

    // Start-Sleep shadowed by a function (functions win over cmdlets in PowerShell's command lookup) when the
    // fake sleep is on; the script's exit code becomes the process's.
    private string PowerShellCommand(string hook)
    {
        var shadow = FakesSleep
            ? "function global:Start-Sleep { param([int] $Seconds) Add-Content -LiteralPath (Join-Path $env:FAKE_STATE 'calls') \"sleep $Seconds\" }; "
            : "";
        return $"{shadow}& '{ScriptPath(hook, HookShell.Pwsh)}'; exit $LASTEXITCODE";
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

    private string ScriptPath(string hook, HookShell shell) =>
        Path.Combine(ScriptsDirectory, hook + (shell == HookShell.Sh ? ".sh" : ".ps1"));

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
