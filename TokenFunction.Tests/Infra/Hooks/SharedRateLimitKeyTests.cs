using static TokenFunction.Tests.Infra.Hooks.HookInputs;

namespace TokenFunction.Tests.Infra.Hooks;

/// <summary>
/// The postprovision hook's part of the shared rate limit (GLOBAL_RATE_LIMIT): main.bicep outputs the name of the
/// vault secret its app setting RateLimit__Redis__KeySecret refers to; the hook fills it with a random key when it is
/// missing, never replaces one, and has the app resolve its Key Vault references again. Without the output nothing of
/// this happens.
/// </summary>
public sealed class SharedRateLimitKeyTests
{
    public const string KeySecretName = "rate-limit-key";
    public const string App = "func-hooktests";

    /// <summary>The outputs of a provision with GLOBAL_RATE_LIMIT, as azd hands them to the hook, with the pair in the job's environment.</summary>
    public static Dictionary<string, string> SharedLimit(Dictionary<string, string>? environment = null) =>
        With(environment ?? CiCredentials(), new Dictionary<string, string> { ["RATE_LIMIT_KEY_SECRET_NAME"] = KeySecretName, ["FUNCTION_APP_NAME"] = App });

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task A_missing_key_is_written_once_and_resolved_and_a_second_run_keeps_it(HookShell shell)
    {
        using var clis = new FakeAzureClis();
        PutPairInVault(clis);

        var first = await clis.RunAsync(shell, "postprovision", SharedLimit());
        var key = clis.Secret(KeySecretName);
        var again = await clis.RunAsync(shell, "postprovision", SharedLimit());

        AssertSucceeded(first);
        Assert.Empty(HookChecks.RateLimitKeyWrittenThenResolved(first, KeySecretName, ResourceGroup, App));
        Assert.Equal([KeySecretName], clis.Writes.Select(write => write.Name));
        AssertCleanCalls(first);
        AssertSucceeded(again);
        Assert.Equal(key, clis.Secret(KeySecretName));
        Assert.Single(clis.Writes);
        Assert.Equal(2, clis.ReferenceRefreshes.Count);
        Assert.Contains("nothing to write", again.StdOut, StringComparison.Ordinal);
    }

    /// <summary>Two deployments get two keys: the value comes from the system's random source, not from a constant.</summary>
    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Each_vault_gets_its_own_key(HookShell shell)
    {
        using var one = new FakeAzureClis();
        using var other = new FakeAzureClis();

        AssertSucceeded(await one.RunAsync(shell, "postprovision", SharedLimit()));
        AssertSucceeded(await other.RunAsync(shell, "postprovision", SharedLimit()));

        Assert.NotNull(one.Secret(KeySecretName));
        Assert.NotEqual(one.Secret(KeySecretName), other.Secret(KeySecretName));
    }

    /// <summary>A first azd up with the limit on: the pair as always (key first), then the rate limit's key, then the refresh.</summary>
    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task On_a_new_vault_the_pair_then_the_key_are_written(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "postprovision", SharedLimit());

        AssertSucceeded(run);
        Assert.Equal(["videosdk-api-key", "videosdk-api-secret", KeySecretName], clis.Writes.Select(write => write.Name));
        Assert.Equal(ApiSecret, clis.Secret("videosdk-api-secret"));
        Assert.Empty(HookChecks.RateLimitKeyWrittenThenResolved(run, KeySecretName, ResourceGroup, App));
        AssertCleanCalls(run);
    }

    /// <summary>An isolated vault already holding the pair is opened for the key alone, and closed again.</summary>
    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task An_isolated_vault_is_opened_for_the_key_and_closed_again(HookShell shell)
    {
        using var clis = new FakeAzureClis();
        PutPairInVault(clis);

        var run = await clis.RunAsync(shell, "postprovision", SharedLimit(IsolatedVault()));

        AssertSucceeded(run);
        Assert.Empty(HookChecks.RateLimitKeyWrittenThenResolved(run, KeySecretName, ResourceGroup, App));
        Assert.Empty(HookChecks.IsolatedVaultClosed(clis));
        Assert.Single(run.AzCalls("keyvault update --name kv-hooktests --public-network-access Enabled"));
        AssertCleanCalls(run);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task An_isolated_vault_holding_everything_stays_closed(HookShell shell)
    {
        using var clis = new FakeAzureClis();
        PutPairInVault(clis);
        clis.SetSecret(KeySecretName, "an-existing-key-of-forty-four-characters-000");

        var run = await clis.RunAsync(shell, "postprovision", SharedLimit(IsolatedVault()));

        AssertSucceeded(run);
        Assert.Empty(run.AzCalls("keyvault update"));
        Assert.Empty(run.AzCalls("keyvault secret set"));
        Assert.Single(clis.ReferenceRefreshes);
    }

    /// <summary>
    /// A refused refresh fails the hook (azd up stops before deploying) with the request to make; the key stays written,
    /// and the next run only asks again.
    /// </summary>
    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task A_refused_refresh_fails_naming_the_request_and_the_next_run_only_asks_again(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var refused = await clis.RunAsync(shell, "postprovision", SharedLimit(CiCredentials(new Dictionary<string, string> { ["FAKE_REFRESH_FAILS"] = "1" })));
        var key = clis.Secret(KeySecretName);
        var again = await clis.RunAsync(shell, "postprovision", SharedLimit());

        AssertFailed(refused);
        Assert.Contains($"ERROR: app settings: {App} did not accept the request to resolve its Key Vault references; run: az rest --method post --url '/subscriptions/{FakeAzureClis.Subscription}/resourceGroups/{ResourceGroup}/providers/Microsoft.Web/sites/{App}/config/configreferences/appsettings/refresh?api-version=2025-03-01'",
            refused.StdErr, StringComparison.Ordinal);
        Assert.NotNull(key);
        AssertSucceeded(again);
        Assert.Equal(key, clis.Secret(KeySecretName));
        Assert.Single(clis.ReferenceRefreshes);
    }

    /// <summary>Without the app's name nothing could be resolved: refused before anything is written.</summary>
    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Without_the_apps_name_nothing_is_written(HookShell shell)
    {
        using var clis = new FakeAzureClis();
        var environment = SharedLimit();
        environment.Remove("FUNCTION_APP_NAME");

        var run = await clis.RunAsync(shell, "postprovision", environment);

        AssertFailed(run);
        Assert.Contains("FUNCTION_APP_NAME is not set", run.StdErr, StringComparison.Ordinal);
        Assert.Empty(run.Calls);
    }

    /// <summary>Without GLOBAL_RATE_LIMIT (the output empty) no key and no refresh.</summary>
    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Without_the_shared_limit_no_key_and_no_refresh(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "postprovision", With(CiCredentials(), new Dictionary<string, string> { ["RATE_LIMIT_KEY_SECRET_NAME"] = "" }));

        AssertSucceeded(run);
        AssertPairWritten(clis);
        Assert.Empty(clis.ReferenceRefreshes);
    }
}
