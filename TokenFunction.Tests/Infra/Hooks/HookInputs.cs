namespace TokenFunction.Tests.Infra.Hooks;

/// <summary>What the hook tests hand the hooks, as azd would, and the assertions they share.</summary>
public static class HookInputs
{
    public const string Vault = "kv-hooktests";
    public const string ResourceGroup = "rg-hooks";
    public const string ApiKey = "test-api-key-0001";
    public const string ApiSecret = "a-videosdk-secret-of-forty-bytes-0123456";
    public const string PrincipalId = "22222222-2222-2222-2222-222222222222";

    public static TheoryData<HookShell> Shells => new(HookShell.Sh, HookShell.Pwsh);

    /// <summary>What azd passes every hook: its environment (subscription, group, region).</summary>
    public static Dictionary<string, string> Azd(IReadOnlyDictionary<string, string>? more = null) => With(new Dictionary<string, string>
    {
        ["AZURE_SUBSCRIPTION_ID"] = FakeAzureClis.Subscription,
        ["AZURE_RESOURCE_GROUP"] = ResourceGroup,
        ["AZURE_LOCATION"] = "westeurope",
    }, more);

    /// <summary>postprovision or the rotation in a pipeline: the vault, and the pair from the job's environment.</summary>
    public static Dictionary<string, string> CiCredentials(IReadOnlyDictionary<string, string>? more = null) =>
        With(Azd(new Dictionary<string, string> { ["KEY_VAULT_NAME"] = Vault, ["VIDEOSDK_API_KEY"] = ApiKey, ["VIDEOSDK_API_SECRET"] = ApiSecret }), more);

    /// <summary>The same against a vault that accepts only its private endpoints and sees this machine at the address.</summary>
    public static Dictionary<string, string> IsolatedVault(string clientAddress = "203.0.113.7") =>
        CiCredentials(new Dictionary<string, string> { ["FAKE_NETWORK"] = "isolated", ["FAKE_CLIENT_IP"] = clientAddress });

    /// <summary>The environment with more values added or replacing its own.</summary>
    public static Dictionary<string, string> With(Dictionary<string, string> environment, IReadOnlyDictionary<string, string>? more)
    {
        foreach (var (name, value) in more ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }
        return environment;
    }

    /// <summary>A vault that already holds a VideoSDK pair, set earlier ("existing-key", "existing-secret").</summary>
    public static void PutPairInVault(FakeAzureClis clis)
    {
        clis.SetSecret("videosdk-api-key", "existing-key");
        clis.SetSecret("videosdk-api-secret", "existing-secret");
    }

    public static void AssertSucceeded(HookRun run) => Assert.True(run.ExitCode == 0, run.ToString());

    public static void AssertFailed(HookRun run) => Assert.True(run.ExitCode != 0, run.ToString());

    /// <summary>No value on a command line or in the output, and every az call on azd's subscription.</summary>
    public static void AssertCleanCalls(HookRun run)
    {
        Assert.Empty(HookChecks.NoValueShown(run, ApiKey, ApiSecret));
        Assert.Empty(HookChecks.EveryAzCallNamesTheSubscription(run));
    }

    /// <summary>
    /// Key first; the secret tagged with the key's version, so a reader can fetch the matching key; both through
    /// private files removed afterwards, both expiring on the same day, the given number of days from now.
    /// </summary>
    public static void AssertPairWritten(FakeAzureClis clis, int expiryDays = 365)
    {
        Assert.Equal(ApiKey, clis.Secret("videosdk-api-key"));
        Assert.Equal(ApiSecret, clis.Secret("videosdk-api-secret"));
        var writes = clis.Writes;
        Assert.Equal(["videosdk-api-key", "videosdk-api-secret"], writes.Select(write => write.Name));
        Assert.Equal($"{TokenFunction.Secrets.KeyVaultOptions.ApiKeyVersionTag}={writes[0].Version}", clis.Tags("videosdk-api-secret"));
        Assert.All(writes, write => Assert.Equal("600", write.Mode));
        Assert.All(writes, write => Assert.False(File.Exists(write.File), $"{write.File} was left behind"));
        var keyExpires = clis.Expires("videosdk-api-key");
        Assert.NotNull(keyExpires);
        Assert.Equal(keyExpires, clis.Expires("videosdk-api-secret"));
        Assert.InRange(keyExpires.Value, DateTimeOffset.UtcNow.AddDays(expiryDays).AddMinutes(-10), DateTimeOffset.UtcNow.AddDays(expiryDays).AddMinutes(1));
    }
}
