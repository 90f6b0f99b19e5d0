using TokenFunction.Tests.Contract;
using TokenFunction.Tests.Infra;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>
/// The npm package <c>videosdk-token-source</c> (clients/token-source) as its developers run it: `npm ci` from its
/// lock file on first use (<see cref="Prerequisites"/>), then its own npm scripts. One script at a time per run:
/// each deletes and rebuilds dist/ and build/.
/// </summary>
internal static class TokenSourcePackage
{
    public static string Folder { get; } = Path.Combine(InfraWorkspace.RepositoryRoot, "clients", "token-source");

    private static readonly SemaphoreSlim OneScriptAtATime = new(1, 1);

    /// <summary>`npm run &lt;script&gt;` in the package, with <paramref name="environment"/> added to this process's.</summary>
    public static Task<ToolRun> RunAsync(string script, IReadOnlyDictionary<string, string>? environment = null) =>
        OneAtATimeAsync(() => NpmRunAsync(script, environment));

    /// <summary>
    /// Builds the package and copies its dist/ into <paramref name="destination"/>: what a page imports must not
    /// vanish while another test class rebuilds the package.
    /// </summary>
    public static Task BuildIntoAsync(string destination) => OneAtATimeAsync(async () =>
    {
        var build = await NpmRunAsync("build", environment: null);
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"clients/token-source did not build: {build}");
        }

        var dist = Path.Combine(Folder, "dist");
        foreach (var file in Directory.EnumerateFiles(dist, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(destination, Path.GetRelativePath(dist, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy, overwrite: true);
        }

        return build;
    });

    private static Task<ToolRun> NpmRunAsync(string script, IReadOnlyDictionary<string, string>? environment) =>
        ContractTooling.RunAsync("npm", ["run", "--silent", script], Folder, environment);

    private static async Task<ToolRun> OneAtATimeAsync(Func<Task<ToolRun>> run)
    {
        await Prerequisites.Machine.EnsureNpmPackagesAsync(Folder);
        await OneScriptAtATime.WaitAsync();
        try
        {
            return await run();
        }
        finally
        {
            OneScriptAtATime.Release();
        }
    }
}
