using TokenFunction.Tests.Contract;
using TokenFunction.Tests.Infra;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>
/// The npm package <c>videosdk-token-source</c> (clients/token-source) as its developers run it: `npm ci` from its
/// lock file on first use (<see cref="Prerequisites"/>), then its own npm scripts. One script at a time per run:
/// each rebuilds dist/ and build/, which the web sample (the browser test) imports.
/// </summary>
internal static class TokenSourcePackage
{
    public static string Folder { get; } = Path.Combine(InfraWorkspace.RepositoryRoot, "clients", "token-source");

    private static readonly SemaphoreSlim OneBuildAtATime = new(1, 1);

    /// <summary>`npm run &lt;script&gt;` in the package, with <paramref name="environment"/> added to this process's.</summary>
    public static async Task<ToolRun> RunAsync(string script, IReadOnlyDictionary<string, string>? environment = null)
    {
        await Prerequisites.Machine.EnsureNpmPackagesAsync(Folder);
        await OneBuildAtATime.WaitAsync();
        try
        {
            return await ContractTooling.RunAsync("npm", ["run", "--silent", script], Folder, environment);
        }
        finally
        {
            OneBuildAtATime.Release();
        }
    }
}
