using System.Diagnostics;
using TokenFunction.Tests.Infra;

namespace TokenFunction.Tests.Contract;

/// <summary>What a run of a tool printed.</summary>
internal sealed record ToolRun(int ExitCode, string Output, string Errors)
{
    public override string ToString() => $"exit code {ExitCode}{Environment.NewLine}{Output}{Environment.NewLine}{Errors}";
}

/// <summary>
/// The contract's tool chain as a user runs it: the Node project next to this file (Redocly, ajv,
/// openapi-typescript, tsc; `npm ci` from its lock file on first use) and Kiota from the dotnet tool manifest
/// (`dotnet tool restore` on first use), both through <see cref="Prerequisites"/>.
/// </summary>
internal static class ContractTooling
{
    /// <summary>The test category of the tests that need Node and Kiota: their own lane in .ci/run.</summary>
    public const string Lane = "ContractClients";

    public static string NodeProject { get; } = Path.Combine(InfraWorkspace.RepositoryRoot, "TokenFunction.Tests", "Contract", "clients");

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>`npm run &lt;script&gt;` in the Node project, after `npm ci` there if its packages are missing or stale.</summary>
    public static async Task<ToolRun> NpmAsync(string script, IReadOnlyDictionary<string, string>? environment = null, params string[] arguments)
    {
        await Prerequisites.Machine.EnsureNpmPackagesAsync(NodeProject);
        return await RunAsync("npm", ["run", "--silent", script, .. arguments.Length > 0 ? ["--", .. arguments] : Array.Empty<string>()], NodeProject, environment);
    }

    /// <summary>A script of the Node project, run by Node with its packages installed.</summary>
    public static async Task<ToolRun> NodeAsync(params string[] arguments)
    {
        await Prerequisites.Machine.EnsureNpmPackagesAsync(NodeProject);
        return await RunAsync("node", arguments, NodeProject);
    }

    /// <summary>`dotnet kiota` (the tool manifest's version), after `dotnet tool restore` if this run has not done it yet.</summary>
    public static async Task<ToolRun> KiotaAsync(IEnumerable<string> arguments, string workingDirectory)
    {
        await Prerequisites.Machine.EnsureDotnetToolsAsync(InfraWorkspace.RepositoryRoot);
        return await RunAsync("dotnet", ["kiota", .. arguments], workingDirectory);
    }

    public static async Task<ToolRun> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry or update checks from a test run: the tools would try the network.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        start.Environment["KIOTA_UPDATE__DISABLED"] = "true";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {Timeout}.");
        }

        return new ToolRun(process.ExitCode, await output, await errors);
    }
}
