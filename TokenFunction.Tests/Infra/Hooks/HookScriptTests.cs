using static TokenFunction.Tests.Infra.Hooks.HookInputs;

namespace TokenFunction.Tests.Infra.Hooks;

/// <summary>
/// The azd hooks, each in sh and in its PowerShell twin, run against fake az/azd: what they write, what they
/// refuse, whose subscription and principal they use, and that no secret value ever reaches a command line or
/// the output. Reaching the vault (waits, network isolation): VaultAccessTests.
/// </summary>
public sealed class HookScriptTests
{
    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Postprovision_writes_nothing_when_the_vault_holds_both(HookShell shell)
    {
        using var clis = new FakeAzureClis();
        PutPairInVault(clis);

        var run = await clis.RunAsync(shell, "postprovision", CiCredentials());

        AssertSucceeded(run);
        Assert.Empty(run.AzCalls("keyvault secret set"));
        Assert.Equal("existing-secret", clis.Secret("videosdk-api-secret"));
        Assert.Contains("nothing to write", run.StdOut, StringComparison.Ordinal);
        AssertCleanCalls(run);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Postprovision_writes_a_missing_pair_through_private_files_with_a_one_year_expiry_and_never_shows_a_value(HookShell shell)
    {
        using var clis = new FakeAzureClis();
        clis.SetSecret("videosdk-api-key", "an-old-key-without-its-secret");

        var run = await clis.RunAsync(shell, "postprovision", CiCredentials());

        AssertSucceeded(run);
        var sets = run.AzCalls("keyvault secret set").ToList();
        Assert.Equal(2, sets.Count);
        Assert.All(sets, call => Assert.Contains(" --file ", call, StringComparison.Ordinal));
        AssertPairWritten(clis);
        Assert.Contains($"the pair expires on {clis.Expires("videosdk-api-key")!.Value:yyyy-MM-ddTHH:mm:ssZ}", run.StdOut, StringComparison.Ordinal);
        AssertCleanCalls(run);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task The_expiry_is_a_parameter(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "postprovision", CiCredentials(new Dictionary<string, string> { ["VIDEOSDK_SECRET_EXPIRY_DAYS"] = "90" }));

        AssertSucceeded(run);
        AssertPairWritten(clis, expiryDays: 90);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task A_malformed_expiry_is_refused_before_anything_is_written(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "postprovision", CiCredentials(new Dictionary<string, string> { ["VIDEOSDK_SECRET_EXPIRY_DAYS"] = "a year" }));

        AssertFailed(run);
        Assert.Contains("VIDEOSDK_SECRET_EXPIRY_DAYS must be a whole number of days", run.StdErr, StringComparison.Ordinal);
        Assert.Empty(run.AzCalls("keyvault secret set"));
    }

    /// <summary>On a terminal the hook asks; what is typed for the key shows, the secret never does.</summary>
    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Postprovision_asks_on_a_terminal_without_echoing_the_secret(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunInTerminalAsync(shell, "postprovision", Azd(new Dictionary<string, string> { ["KEY_VAULT_NAME"] = Vault }),
            ("VideoSDK API key", ApiKey), ("VideoSDK API secret (input hidden)", ApiSecret));

        AssertSucceeded(run);
        Assert.Equal(ApiSecret, clis.Secret("videosdk-api-secret"));
        Assert.Equal(ApiKey, clis.Secret("videosdk-api-key"));
        Assert.Contains(ApiKey, run.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiSecret, run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Calls, call => call.Contains(ApiSecret, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Postprovision_refuses_a_secret_shorter_than_32_bytes_and_writes_nothing(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "postprovision", CiCredentials(new Dictionary<string, string> { ["VIDEOSDK_API_SECRET"] = "only-31-bytes-long-secret-value" }));

        AssertFailed(run);
        Assert.Empty(run.AzCalls("keyvault secret set"));
        Assert.Contains("at least 32", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("only-31-bytes-long-secret-value", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Postprovision_without_a_terminal_or_exported_values_says_what_to_export(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "postprovision", Azd(new Dictionary<string, string> { ["KEY_VAULT_NAME"] = Vault }));

        AssertFailed(run);
        Assert.Contains("VIDEOSDK_API_KEY", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("never with azd env set", run.StdErr, StringComparison.Ordinal);
        Assert.Empty(run.AzCalls("keyvault secret set"));
    }

    /// <summary>Without azd's subscription no az call is made at all: the CLI's default subscription may be another.</summary>
    [Theory]
    [InlineData(HookShell.Sh, "preprovision")]
    [InlineData(HookShell.Sh, "postprovision")]
    [InlineData(HookShell.Sh, "rotate-videosdk-secret")]
    [InlineData(HookShell.Pwsh, "preprovision")]
    [InlineData(HookShell.Pwsh, "postprovision")]
    [InlineData(HookShell.Pwsh, "rotate-videosdk-secret")]
    public async Task Without_azds_subscription_nothing_reaches_az(HookShell shell, string script)
    {
        using var clis = new FakeAzureClis();
        var environment = CiCredentials(new Dictionary<string, string> { ["ALLOW_ANONYMOUS_CALLERS"] = "true" });
        environment.Remove("AZURE_SUBSCRIPTION_ID");

        var run = await clis.RunAsync(shell, script, environment);

        AssertFailed(run);
        Assert.Contains("AZURE_SUBSCRIPTION_ID is not set", run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Calls, call => call.StartsWith("az ", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Preprovision_refuses_undecided_caller_authentication_naming_the_azd_commands(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "preprovision", Azd());

        AssertFailed(run);
        Assert.All(UndecidedCommands, command => Assert.Contains(command, run.StdErr, StringComparison.Ordinal));
        Assert.DoesNotContain(run.Calls, call => call.StartsWith("azd env set", StringComparison.Ordinal));
    }

    /// <summary>The hook and main.bicep's fail() name the same commands, so either refusal gives the same fix.</summary>
    [Fact]
    public void The_template_refuses_undecided_caller_authentication_with_the_same_commands()
    {
        var template = File.ReadAllText(Path.Combine(InfraWorkspace.Source.Directory, InfraWorkspace.MainTemplate));
        var failMessage = template[template.IndexOf("fail('Caller authentication is undecided", StringComparison.Ordinal)..];
        failMessage = failMessage[..failMessage.IndexOf('\n', StringComparison.Ordinal)];

        Assert.All(UndecidedCommands, command => Assert.Contains(command, failMessage, StringComparison.Ordinal));
    }

    /// <summary>
    /// Without AZURE_PRINCIPAL_ID azd passes its own sign-in's object id, so the type is that sign-in's (azd auth
    /// status), never az's: in CI, az and azd may be signed in as different principals.
    /// </summary>
    [Theory]
    [InlineData(HookShell.Sh, "servicePrincipal", "ServicePrincipal")]
    [InlineData(HookShell.Sh, "user", "User")]
    [InlineData(HookShell.Pwsh, "servicePrincipal", "ServicePrincipal")]
    [InlineData(HookShell.Pwsh, "user", "User")]
    public async Task Preprovision_takes_the_type_of_the_principal_azd_is_signed_in_as(HookShell shell, string azdAccount, string expected)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "preprovision", Azd(new Dictionary<string, string> { ["ALLOW_ANONYMOUS_CALLERS"] = "true", ["FAKE_AZD_ACCOUNT"] = azdAccount }));

        AssertSucceeded(run);
        Assert.Equal(expected, clis.AzdEnvironment.GetValueOrDefault("OPERATOR_PRINCIPAL_TYPE"));
        Assert.Contains("azd auth status --output json", run.Calls);
        Assert.DoesNotContain(run.Calls, call => call.StartsWith("az account", StringComparison.Ordinal));
        Assert.Contains($"operator principal: the account azd is signed in as, a {expected}", run.StdOut, StringComparison.Ordinal);
        AssertCleanCalls(run);
    }

    /// <summary>With AZURE_PRINCIPAL_ID set, azd passes that id: the hook looks that very id up in the directory.</summary>
    [Theory]
    [InlineData(HookShell.Sh, "sp", "ServicePrincipal")]
    [InlineData(HookShell.Sh, "user", "User")]
    [InlineData(HookShell.Sh, "group", "Group")]
    [InlineData(HookShell.Pwsh, "sp", "ServicePrincipal")]
    [InlineData(HookShell.Pwsh, "user", "User")]
    [InlineData(HookShell.Pwsh, "group", "Group")]
    public async Task Preprovision_looks_the_principal_azd_passes_up_by_its_id(HookShell shell, string directoryKind, string expected)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "preprovision", Azd(new Dictionary<string, string>
        {
            ["ALLOW_ANONYMOUS_CALLERS"] = "true", ["AZURE_PRINCIPAL_ID"] = PrincipalId, ["FAKE_PRINCIPAL_KIND"] = directoryKind,
            ["FAKE_AZD_ACCOUNT"] = "user",
        }));

        AssertSucceeded(run);
        Assert.Equal(expected, clis.AzdEnvironment.GetValueOrDefault("OPERATOR_PRINCIPAL_TYPE"));
        Assert.All(run.Calls.Where(call => call.StartsWith("az ad ", StringComparison.Ordinal)),
            call => Assert.Contains(PrincipalId, call, StringComparison.Ordinal));
        Assert.DoesNotContain(run.Calls, call => call.StartsWith("azd auth", StringComparison.Ordinal));
        AssertCleanCalls(run);
    }

    /// <summary>Pipelines' principals often may not read the directory: the hook says so and what to set.</summary>
    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Preprovision_says_so_when_the_directory_refuses_the_lookup_and_tells_what_to_set(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "preprovision", Azd(new Dictionary<string, string>
        {
            ["ALLOW_ANONYMOUS_CALLERS"] = "true", ["AZURE_PRINCIPAL_ID"] = PrincipalId, ["FAKE_DIRECTORY"] = "refuse",
        }));

        AssertFailed(run);
        Assert.Contains($"the directory refused to look up the principal {PrincipalId}", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("azd env set AZURE_PRINCIPAL_TYPE ServicePrincipal", run.StdErr, StringComparison.Ordinal);
        Assert.False(clis.AzdEnvironment.ContainsKey("OPERATOR_PRINCIPAL_TYPE"));
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Preprovision_keeps_a_principal_type_the_user_set(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "preprovision", Azd(new Dictionary<string, string>
        {
            ["CALLER_AUTH_AUTHORITY"] = "https://login.example.com/tenant/v2.0",
            ["CALLER_AUTH_AUDIENCE"] = "api://videosdk-token",
            ["AZURE_PRINCIPAL_ID"] = PrincipalId,
            ["AZURE_PRINCIPAL_TYPE"] = "Group",
        }));

        AssertSucceeded(run);
        Assert.DoesNotContain(run.Calls, call => call.StartsWith("az ad", StringComparison.Ordinal) || call.StartsWith("azd auth", StringComparison.Ordinal));
        Assert.False(clis.AzdEnvironment.ContainsKey("OPERATOR_PRINCIPAL_TYPE"));
        Assert.Contains("a Group (AZURE_PRINCIPAL_TYPE, as you set it)", run.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Preprovision_recovers_a_soft_deleted_vault_of_the_environment_and_says_so(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "preprovision", DeletedVault());

        AssertSucceeded(run);
        Assert.True(clis.Recovered);
        Assert.Contains($"az keyvault recover --name {Vault} --output none --subscription {FakeAzureClis.Subscription}", run.Calls);
        Assert.Contains($"az group create --name {ResourceGroup} --location westeurope --output none --subscription {FakeAzureClis.Subscription}", run.Calls);
        Assert.Contains($"recovered the soft-deleted {Vault}", run.StdOut, StringComparison.Ordinal);
        AssertCleanCalls(run);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Preprovision_chooses_a_new_vault_name_when_asked_to_and_says_which(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "preprovision", new Dictionary<string, string>(DeletedVault()) { ["KEY_VAULT_ON_DELETED"] = "new" });

        AssertSucceeded(run);
        Assert.False(clis.Recovered);
        var fresh = clis.AzdEnvironment["AZURE_KEY_VAULT_NAME"];
        Assert.Matches($"^{Vault}-[0-9a-f]{{4}}$", fresh);
        Assert.InRange(fresh.Length, 3, 24);
        Assert.Contains(fresh, run.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Preprovision_leaves_an_existing_vault_alone(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "preprovision", new Dictionary<string, string>(DeletedVault()) { ["FAKE_VAULT"] = "active" });

        AssertSucceeded(run);
        Assert.Empty(run.AzCalls("keyvault show-deleted"));
        Assert.False(clis.Recovered);
    }

    /// <summary>Public, or isolated: then opened to this machine for the write only, and closed again.</summary>
    [Theory]
    [InlineData(HookShell.Sh, false)]
    [InlineData(HookShell.Sh, true)]
    [InlineData(HookShell.Pwsh, false)]
    [InlineData(HookShell.Pwsh, true)]
    public async Task Rotation_writes_the_pair_with_a_new_expiry_and_says_when_the_old_one_may_be_revoked(HookShell shell, bool isolated)
    {
        using var clis = new FakeAzureClis();
        clis.SetSecret("videosdk-api-key", "old-key");
        clis.SetSecret("videosdk-api-secret", "old-secret-old-secret-old-secret-old-secret");

        var run = await clis.RunAsync(shell, "rotate-videosdk-secret", isolated ? IsolatedVault() : CiCredentials());

        AssertSucceeded(run);
        AssertPairWritten(clis);
        AssertCleanCalls(run);
        Assert.Empty(HookChecks.IsolatedVaultClosed(clis));
        Assert.Equal(isolated, run.AzCalls("keyvault network-rule add").Any());
        Assert.Contains("KeyVault__RefreshInterval", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("Tokens__MaxTtlSeconds", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("revoking sooner cuts them off", run.StdOut, StringComparison.Ordinal);
    }

    /// <summary>Run by hand outside azd, the rotation takes the vault and the subscription from azd's environment.</summary>
    [Theory]
    [MemberData(nameof(Shells), MemberType = typeof(HookInputs))]
    public async Task Rotation_takes_vault_and_subscription_from_azds_environment(HookShell shell)
    {
        using var clis = new FakeAzureClis();
        clis.SetAzdValue("KEY_VAULT_NAME", Vault);
        clis.SetAzdValue("AZURE_SUBSCRIPTION_ID", FakeAzureClis.Subscription);

        var run = await clis.RunAsync(shell, "rotate-videosdk-secret", new Dictionary<string, string> { ["VIDEOSDK_API_KEY"] = ApiKey, ["VIDEOSDK_API_SECRET"] = ApiSecret });

        AssertSucceeded(run);
        AssertPairWritten(clis);
        AssertCleanCalls(run);
    }

    private static readonly string[] UndecidedCommands =
    [
        "azd env set CALLER_AUTH_AUTHORITY", "azd env set CALLER_AUTH_AUDIENCE", "azd env set ALLOW_ANONYMOUS_CALLERS true",
    ];

    private static Dictionary<string, string> DeletedVault() => Azd(new Dictionary<string, string>
    {
        ["ALLOW_ANONYMOUS_CALLERS"] = "true",
        ["AZURE_PRINCIPAL_TYPE"] = "User",
        ["KEY_VAULT_NAME"] = Vault,
        ["FAKE_VAULT"] = "deleted",
    });
}
