using System.Diagnostics;
using System.Reflection;

namespace TokenFunction.Tests.Infra;

/// <summary>One finished run of the Bicep CLI.</summary>
public sealed record BicepRun(string Command, int ExitCode, string StdOut, string StdErr)
{
    /// <summary>
    /// Type problems (BCP0xx) are warnings with exit code 0, so a clean run must also have no warning line.
    /// </summary>
    public IReadOnlyList<string> WarningLines =>
        (StdOut + "\n" + StdErr).Split('\n').Where(line => line.Contains("Warning", StringComparison.Ordinal)).ToList();

    public override string ToString() => $"bicep {Command} exited {ExitCode}\n{StdErr}\n{StdOut}";
}

/// <summary>
/// The Bicep CLI from the Azure.Bicep.CommandLine.&lt;rid&gt; NuGet package the test project references (linux-x64,
/// where the suite runs): the one source of the tool that works on this project's offline machines.
/// </summary>
public static class BicepCli
{
    private const string PackageVersion = "0.49.2";

    /// <summary>The runtime identifier the build chose the package for (TokenFunction.Tests.csproj, BicepCliRid).</summary>
    public static string Rid { get; } = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "BicepCliRid").Value!;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    // The bicepparam file reads these; a developer's or CI's own values must not leak into the checks.
    private static readonly string[] ParameterEnvironment =
    [
        "AZURE_ENV_NAME", "AZURE_LOCATION", "AZURE_PRINCIPAL_ID", "AZURE_PRINCIPAL_TYPE", "OPERATOR_PRINCIPAL_TYPE", "AZURE_KEY_VAULT_NAME", "NETWORK_ISOLATION", "GLOBAL_RATE_LIMIT",
        "CALLER_AUTH_AUTHORITY", "CALLER_AUTH_AUDIENCE", "ALLOW_ANONYMOUS_CALLERS", "ALWAYS_READY_INSTANCES", "CORS_ALLOWED_ORIGINS",
    ];

    private static readonly Lazy<string> Executable = new(LocateExecutable);

    // Each run is seconds of CPU; more runs than cores at once only adds switching and memory pressure.
    private static readonly SemaphoreSlim Cores = new(Environment.ProcessorCount);

    public static Task<BicepRun> RunAsync(string workingDirectory, params string[] arguments) =>
        RunAsync(workingDirectory, new Dictionary<string, string>(), arguments);

    /// <summary>A run with exactly the given parameter environment (what azd would export), nothing inherited.</summary>
    public static async Task<BicepRun> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var name in ParameterEnvironment)
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        // A run lasts seconds: profile-guided re-jitting costs more CPU than it saves (about 10 % measured).
        start.Environment["DOTNET_TieredPGO"] = "0";

        await Cores.WaitAsync();
        try
        {
            return await RunAsync(start, arguments);
        }
        finally
        {
            Cores.Release();
        }
    }

    private static async Task<BicepRun> RunAsync(ProcessStartInfo start, string[] arguments)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(timeout.Token);
        return new BicepRun(string.Join(' ', arguments), process.ExitCode, await stdout, await stderr);
    }

    private static string LocateExecutable()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(packages, $"azure.bicep.commandline.{Rid}", PackageVersion, "tools", OperatingSystem.IsWindows() ? "bicep.exe" : "bicep");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Bicep CLI not found at {path}; run dotnet restore on the test project.", path);
        }

        // NuGet extraction does not always keep the executable bit.
        const UnixFileMode executeBits = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | executeBits);
        }
        return path;
    }
}
