using System.Text.RegularExpressions;
using TokenFunction.Tests.EndToEnd;
using static TokenFunction.Tests.Infra.Hooks.HookInputs;

namespace TokenFunction.Tests.Infra.Hooks;

/// <summary>
/// docs/deployment.md's walk-through, step by step: each block of hook output it shows (marked
/// <c>&lt;!-- walkthrough: name --&gt;</c>, <c>&lt;...&gt;</c> standing for the reader's values) is what the hooks
/// print in that step, run against the fake az/azd (which record every argument: no value on any command line)
/// and, for the smoke check, against the real worker. The PowerShell twins print the same lines where the steps
/// run without a terminal.
/// </summary>
public sealed partial class WalkthroughTests(LocalModeWorker worker) : IClassFixture<LocalModeWorker>
{
    private static readonly string Guide = File.ReadAllText(Path.Combine(InfraWorkspace.RepositoryRoot, "docs", "deployment.md"));

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Public_preprovision(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "preprovision", Azd(new Dictionary<string, string> { ["ALLOW_ANONYMOUS_CALLERS"] = "true", ["FAKE_AZD_ACCOUNT"] = "user" }));

        AssertSucceeded(run);
        AssertShows("public preprovision", run.StdOut);
        AssertCleanCalls(run);
    }

    /// <summary>On a terminal, as azd runs the interactive hook; the role not yet in effect at the first try.</summary>
    [Fact]
    public async Task Public_postprovision()
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunInTerminalAsync(HookShell.Sh, "postprovision",
            Azd(new Dictionary<string, string> { ["KEY_VAULT_NAME"] = Vault, ["FAKE_RBAC_FAILURES"] = "1" }),
            ("VideoSDK API key", ApiKey), ("VideoSDK API secret (input hidden)", ApiSecret));

        AssertSucceeded(run);
        AssertShows("public postprovision", run.StdOut);
        AssertPairWritten(clis);
        Assert.Empty(HookChecks.EveryAzCallNamesTheSubscription(run));
        Assert.DoesNotContain(run.Calls, call => call.Contains(ApiSecret, StringComparison.Ordinal) || call.Contains(ApiKey, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Timeout(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "postprovision", CiCredentials(new Dictionary<string, string> { ["FAKE_RBAC_FAILURES"] = "1000" }));

        AssertFailed(run);
        AssertShows("timeout", run.StdErr);
    }

    [Fact]
    public async Task Public_postdeploy()
    {
        using var clis = new FakeAzureClis(fakeSleep: false);

        var run = await clis.RunAsync(HookShell.Sh, "postdeploy", SmokeCheckTests.Environment(worker.BaseAddress, anonymous: true));

        AssertSucceeded(run);
        AssertShows("public postdeploy", run.StdOut);
    }

    [Fact]
    public async Task Isolated_postprovision_then_again()
    {
        using var clis = new FakeAzureClis();
        var environment = IsolatedVault();
        environment.Remove("VIDEOSDK_API_KEY");
        environment.Remove("VIDEOSDK_API_SECRET");

        var first = await clis.RunInTerminalAsync(HookShell.Sh, "postprovision", environment,
            ("VideoSDK API key", ApiKey), ("VideoSDK API secret (input hidden)", ApiSecret));
        var again = await clis.RunAsync(HookShell.Sh, "postprovision", environment);

        AssertSucceeded(first);
        AssertShows("isolated postprovision", first.StdOut);
        AssertPairWritten(clis);
        Assert.Empty(HookChecks.IsolatedVaultClosed(clis));
        Assert.DoesNotContain(first.Calls, call => call.Contains(ApiSecret, StringComparison.Ordinal) || call.Contains(ApiKey, StringComparison.Ordinal));
        AssertSucceeded(again);
        AssertShows("isolated postprovision again", again.StdOut);
        Assert.Empty(HookChecks.EveryAzCallNamesTheSubscription(again));
    }

    /// <summary>GLOBAL_RATE_LIMIT turned on for a deployment whose vault holds the pair: the key, then the refresh.</summary>
    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Shared_rate_limit_postprovision(HookShell shell)
    {
        using var clis = new FakeAzureClis();
        PutPairInVault(clis);

        var run = await clis.RunAsync(shell, "postprovision", SharedRateLimitKeyTests.SharedLimit());

        AssertSucceeded(run);
        AssertShows("shared rate limit postprovision", run.StdOut);
        Assert.Empty(HookChecks.RateLimitKeyWrittenThenResolved(run, SharedRateLimitKeyTests.KeySecretName, ResourceGroup, SharedRateLimitKeyTests.App));
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Pipeline_preprovision(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "preprovision", Azd(new Dictionary<string, string>
        {
            ["CALLER_AUTH_AUTHORITY"] = "https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000aa/v2.0",
            ["CALLER_AUTH_AUDIENCE"] = "api://videosdk-token",
            ["FAKE_AZD_ACCOUNT"] = "servicePrincipal",
        }));

        AssertSucceeded(run);
        AssertShows("pipeline preprovision", run.StdOut);
        Assert.Equal("ServicePrincipal", clis.AzdEnvironment["OPERATOR_PRINCIPAL_TYPE"]);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Directory_refused(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "preprovision", Azd(new Dictionary<string, string>
        {
            ["ALLOW_ANONYMOUS_CALLERS"] = "true", ["AZURE_PRINCIPAL_ID"] = PrincipalId, ["FAKE_DIRECTORY"] = "refuse",
        }));

        AssertFailed(run);
        AssertShows("directory refused", run.StdErr);
    }

    /// <summary>The pipeline signs in both CLIs and gives `azd up --no-prompt` everything it would otherwise ask for.</summary>
    [Fact]
    public void The_pipeline_signs_in_both_CLIs_and_sets_everything_no_prompt_needs()
    {
        var pipeline = Fenced("<!-- pipeline -->", "```yaml");

        Assert.Contains(pipeline, line => line.Contains("id-token: write", StringComparison.Ordinal));
        Assert.Contains(pipeline, line => line.Contains("uses: azure/login@", StringComparison.Ordinal));
        Assert.Contains(pipeline, line => line.Contains("azd auth login --client-id \"$AZURE_CLIENT_ID\" --federated-credential-provider github", StringComparison.Ordinal));
        foreach (var variable in new[] { "AZURE_ENV_NAME", "AZURE_LOCATION", "AZURE_RESOURCE_GROUP", "AZURE_SUBSCRIPTION_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_ID" })
        {
            Assert.Contains(pipeline, line => line.TrimStart().StartsWith($"{variable}: ", StringComparison.Ordinal));
        }
        Assert.Contains(pipeline, line => line.Contains("azd env new \"$AZURE_ENV_NAME\" --subscription \"$AZURE_SUBSCRIPTION_ID\" --location \"$AZURE_LOCATION\" --no-prompt", StringComparison.Ordinal));
        Assert.Contains(pipeline, line => line.Contains("azd env set AZURE_RESOURCE_GROUP", StringComparison.Ordinal));
        Assert.Contains(pipeline, line => line.Contains("azd env set CALLER_AUTH_AUTHORITY", StringComparison.Ordinal));
        Assert.Contains(pipeline, line => line.Trim() == "run: azd up --no-prompt");
        Assert.Contains(pipeline, line => line.Trim() == "VIDEOSDK_API_SECRET: ${{ secrets.VIDEOSDK_API_SECRET }}");
        Assert.DoesNotContain(pipeline, line => line.Contains("azd env set VIDEOSDK", StringComparison.Ordinal));
    }

    /// <summary>
    /// azd down --purge purges only soft-deleted vaults without purge protection (Azure/azure-dev,
    /// cli/azd/pkg/infra/provisioning/bicep/bicep_provider.go at ae35809, 2026-08-21: the purge candidates are vaults
    /// with EnableSoftDelete and not EnablePurgeProtection): the flag changes nothing for this vault, it forbids nothing.
    /// </summary>
    [Fact]
    public void The_guides_say_what_azd_down_purge_does_to_the_vault()
    {
        var readme = File.ReadAllText(Path.Combine(InfraWorkspace.RepositoryRoot, "README.md"));

        Assert.Contains("azd purges only vaults without purge protection", readme, StringComparison.Ordinal);
        Assert.Contains("azd purges only soft-deleted vaults without purge protection", Guide, StringComparison.Ordinal);
        Assert.DoesNotContain("protection forbids", readme + Guide, StringComparison.Ordinal);
    }

    /// <summary>The lines printed, blank ones aside, are the block's lines one for one, placeholders standing for any value.</summary>
    private static void AssertShows(string step, string output)
    {
        var expected = Fenced($"<!-- walkthrough: {step} -->", "```text");
        var actual = output.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(line => line.TrimEnd()).Where(line => line.Length > 0).ToList();
        Assert.True(expected.Count == actual.Count && expected.Zip(actual).All(pair => Pattern(pair.First).IsMatch(pair.Second)),
            $"docs/deployment.md, step '{step}', shows:\n{string.Join('\n', expected)}\nthe hook printed:\n{string.Join('\n', actual)}");
    }

    private static List<string> Fenced(string marker, string fence)
    {
        var lines = Guide.Split('\n').Select(line => line.TrimEnd('\r')).ToList();
        var at = lines.FindIndex(line => line.Trim() == marker);
        Assert.True(at >= 0 && lines[at + 1].Trim() == fence, $"docs/deployment.md has no {fence} block after {marker}");
        return lines.Skip(at + 2).TakeWhile(line => line.Trim() != "```").Select(line => line.Trim()).Where(line => line.Length > 0).ToList();
    }

    private static Regex Pattern(string documented) =>
        new($"^{string.Join(".+?", Placeholder().Split(documented).Select(Regex.Escape))}$");

    [GeneratedRegex("<[^<>]+>")]
    private static partial Regex Placeholder();
}
