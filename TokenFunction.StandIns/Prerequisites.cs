using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace TokenFunction.StandIns;

/// <summary>
/// What a test fixture needs from outside the build, brought by the fixture itself so the README's one test
/// command works on a fresh machine: npm packages from a committed lock file, the repository's dotnet local
/// tools, Debian packages; and Node.js, which it cannot install, checked with one clear line.
/// <para>
/// Each install runs once per folder (or package) per process, and under a lock file shared by every process on
/// the machine, so test classes and test runs of other clones starting at once wait for one install instead of
/// racing. A prerequisite that cannot be had fails with <see cref="MissingPrerequisiteException"/>, whose message
/// names it and the README section. Every test that needs it then fails with that same line.
/// </para>
/// </summary>
public sealed class Prerequisites
{
    /// <summary>Where a newcomer reads what to install.</summary>
    public const string ReadmeSection = "README.md, section \"Prerequisites\"";

    /// <summary>The oldest Node.js major version the npm packages run on (oidc-provider, the contract tools).</summary>
    public const int MinimumNodeMajorVersion = 20;

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _done = new(StringComparer.Ordinal);
    private readonly string _searchPath;

    /// <param name="searchPath">The directories to find node, npm, dotnet and apt-get in, as PATH lists them; also the PATH their children get.</param>
    public Prerequisites(string searchPath) => _searchPath = searchPath;

    /// <summary>The machine as this process sees it (its PATH): what fixtures use.</summary>
    public static Prerequisites Machine { get; } = new(Environment.GetEnvironmentVariable("PATH") ?? string.Empty);

    /// <summary>Node.js <see cref="MinimumNodeMajorVersion"/> or later: the path of its <c>node</c>, or <see cref="MissingPrerequisiteException"/>.</summary>
    public Task<string> RequireNodeAsync() => Once("node", CheckNodeAsync);

    /// <summary>
    /// <c>npm ci</c> in <paramref name="folder"/> from its committed package-lock.json, unless its node_modules is
    /// already at least as new as the lock file (npm writes node_modules/.package-lock.json last). Checks Node.js first.
    /// </summary>
    public Task EnsureNpmPackagesAsync(string folder)
    {
        folder = Path.GetFullPath(folder);
        return Once("npm:" + folder, async () =>
        {
            // Node.js first: without it the packages are of no use, and npm would fail less clearly.
            await RequireNodeAsync().ConfigureAwait(false);
            return await WithMachineLockAsync("npm " + folder, () => InstallNpmPackagesAsync(folder)).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// <c>dotnet tool restore</c> in <paramref name="folder"/> (the tools of its .config/dotnet-tools.json, e.g. pwsh
    /// and kiota, into the NuGet packages folder), so <c>dotnet tool run</c> finds them.
    /// </summary>
    public Task EnsureDotnetToolsAsync(string folder)
    {
        folder = Path.GetFullPath(folder);
        return Once("dotnet-tools:" + folder, () => WithMachineLockAsync("dotnet tool restore " + folder, async () =>
        {
            await RunAsync(DotnetHost(), ["tool", "restore"], folder).ConfigureAwait(false);
            return folder;
        }));
    }

    /// <summary>
    /// The path of <paramref name="command"/>; when it is not on the PATH, installs Debian's <paramref name="package"/>
    /// with apt-get if this process may (root), else fails with one line naming the package and the README section.
    /// </summary>
    public Task<string> EnsureDebianPackageAsync(string command, string package) =>
        Once("apt:" + package, () => Find(command) is { } found ? Task.FromResult(found) : WithMachineLockAsync("apt-get", async () =>
        {
            if (Find(command) is { } installedMeanwhile)
            {
                return installedMeanwhile;
            }

            var aptGet = Find("apt-get");
            if (aptGet is null || !Environment.IsPrivilegedProcess)
            {
                throw Missing($"{command} is not on the PATH and this process cannot install it (apt-get as root): install the Debian package {package}");
            }

            // dpkg's own lock: wait for another apt user instead of failing at once.
            string[] install = ["-o", "DPkg::Lock::Timeout=300", "install", "-y", "--no-install-recommends", package];
            if (!await TryRunAsync(aptGet, install).ConfigureAwait(false))
            {
                // A fresh machine has no package lists yet.
                await RunAsync(aptGet, ["-o", "DPkg::Lock::Timeout=300", "update"], workingDirectory: null).ConfigureAwait(false);
                await RunAsync(aptGet, install, workingDirectory: null).ConfigureAwait(false);
            }

            return Find(command) ?? throw Missing($"apt-get installed {package}, but {command} is still not on the PATH");
        }));

    /// <summary>The full path of <paramref name="command"/> in the search path, or null.</summary>
    public string? Find(string command) =>
        _searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(IsExecutable);

    private async Task<string> InstallNpmPackagesAsync(string folder)
    {
        var installed = new FileInfo(Path.Combine(folder, "node_modules", ".package-lock.json"));
        if (!installed.Exists || installed.LastWriteTimeUtc < File.GetLastWriteTimeUtc(Path.Combine(folder, "package-lock.json")))
        {
            var npm = Find("npm") ?? throw Missing($"npm (it comes with Node.js {MinimumNodeMajorVersion} or later) is not on the PATH");
            await RunAsync(npm, ["ci", "--no-audit", "--no-fund"], folder).ConfigureAwait(false);
        }

        return folder;
    }

    private async Task<string> CheckNodeAsync()
    {
        var node = Find("node") ?? throw Missing($"Node.js {MinimumNodeMajorVersion} or later is needed and no node is on the PATH");
        var version = (await RunAsync(node, ["--version"], workingDirectory: null).ConfigureAwait(false)).Trim();
        var major = version.TrimStart('v').Split('.')[0];
        if (!int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < MinimumNodeMajorVersion)
        {
            throw Missing($"Node.js {MinimumNodeMajorVersion} or later is needed; {node} is {version}");
        }

        return node;
    }

    private static MissingPrerequisiteException Missing(string what) => new($"{what}. See {ReadmeSection}.");

    private Task<string> Once(string key, Func<Task<string>> work) =>
        _done.GetOrAdd(key, _ => new Lazy<Task<string>>(work)).Value;

    private static async Task<string> WithMachineLockAsync(string name, Func<Task<string>> work)
    {
        await using var held = await MachineLock.AcquireAsync(name, InstallTimeout).ConfigureAwait(false);
        return await work().ConfigureAwait(false);
    }

    private string DotnetHost() =>
        // The muxer running this process (set by dotnet test and dotnet run), so the restore uses the same SDK.
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Find("dotnet") ?? throw Missing("dotnet (the .NET 10 SDK) is not on the PATH");

    private async Task<bool> TryRunAsync(string executable, IReadOnlyList<string> arguments)
    {
        try
        {
            await RunAsync(executable, arguments, workingDirectory: null).ConfigureAwait(false);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Runs a program to its end; its standard output, or an exception with everything it printed.</summary>
    private async Task<string> RunAsync(string executable, IReadOnlyList<string> arguments, string? workingDirectory)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["PATH"] = _searchPath, ["DEBIAN_FRONTEND"] = "noninteractive" },
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(InstallTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{executable} {string.Join(' ', arguments)} did not finish within {InstallTimeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{executable} {string.Join(' ', arguments)} in {start.WorkingDirectory} failed ({process.ExitCode}):{Environment.NewLine}{await output.ConfigureAwait(false)}{await errors.ConfigureAwait(false)}");
        }

        return await output.ConfigureAwait(false);
    }

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}

/// <summary>
/// A prerequisite the tests cannot install (Node.js, or a Debian package without root). The message is the whole
/// story, in one line: which program, what was found, and the README section; no stack trace, which would only
/// bury it under every test that needed the program.
/// </summary>
public sealed class MissingPrerequisiteException(string message) : Exception(message)
{
    public override string? StackTrace => null;
}
