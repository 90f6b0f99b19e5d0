namespace TokenFunction.Tests.Infra.Hooks;

/// <summary>
/// The azd hooks, each in sh and in its PowerShell twin, run against fake az/azd: what they write, what they
/// refuse, and that no secret value ever reaches a command line or the output.
/// </summary>
public sealed class HookScriptTests
{
    private const string Vault = "kv-hooktests";
    private const string ApiKey = "test-api-key-0001";
    private const string ApiSecret = "a-videosdk-secret-of-forty-bytes-0123456";

    public static TheoryData<HookShell> Shells => new(HookShell.Sh, HookShell.Pwsh);

    private static readonly Dictionary<string, string> CiCredentials = new()
    {
        ["KEY_VAULT_NAME"] = Vault,
        ["VIDEOSDK_API_KEY"] = ApiKey,
        ["VIDEOSDK_API_SECRET"] = ApiSecret,
    };

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Postprovision_writes_nothing_when_the_vault_holds_both(HookShell shell)
    {
        using var clis = new FakeAzureClis();
        clis.SetSecret("videosdk-api-key", "existing-key");
        clis.SetSecret("videosdk-api-secret", "existing-secret");

        var run = await clis.RunAsync(shell, "postprovision", CiCredentials);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.AzCalls("keyvault secret set"));
        Assert.Equal("existing-secret", clis.Secret("videosdk-api-secret"));
        Assert.Contains("nothing to write", run.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Postprovision_writes_a_missing_pair_through_private_files_and_never_shows_a_value(HookShell shell)
    {
        using var clis = new FakeAzureClis();
        clis.SetSecret("videosdk-api-key", "an-old-key-without-its-secret");

        var run = await clis.RunAsync(shell, "postprovision", CiCredentials);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(ApiKey, clis.Secret("videosdk-api-key"));
        Assert.Equal(ApiSecret, clis.Secret("videosdk-api-secret"));
        var sets = run.AzCalls("keyvault secret set").ToList();
        Assert.Equal(2, sets.Count);
        Assert.All(sets, call => Assert.Contains(" --file ", call, StringComparison.Ordinal));
        AssertNoValueShown(run);
        AssertPairWrittenKeyFirstThroughPrivateFiles(clis);
    }

    /// <summary>On a terminal the hook asks; what is typed for the key shows, the secret never does.</summary>
    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Postprovision_asks_on_a_terminal_without_echoing_the_secret(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunInTerminalAsync(shell, "postprovision", new Dictionary<string, string> { ["KEY_VAULT_NAME"] = Vault },
            ("VideoSDK API key", ApiKey), ("VideoSDK API secret (input hidden)", ApiSecret));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(ApiSecret, clis.Secret("videosdk-api-secret"));
        Assert.Equal(ApiKey, clis.Secret("videosdk-api-key"));
        Assert.Contains(ApiKey, run.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiSecret, run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Calls, call => call.Contains(ApiSecret, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Postprovision_refuses_a_secret_shorter_than_32_bytes_and_writes_nothing(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "postprovision", new Dictionary<string, string>(CiCredentials) { ["VIDEOSDK_API_SECRET"] = "only-31-bytes-long-secret-value" });

        Assert.NotEqual(0, run.ExitCode);
        Assert.Empty(run.AzCalls("keyvault secret set"));
        Assert.Contains("at least 32", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("only-31-bytes-long-secret-value", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Postprovision_without_a_terminal_or_exported_values_says_what_to_export(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "postprovision", new Dictionary<string, string> { ["KEY_VAULT_NAME"] = Vault });

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("VIDEOSDK_API_KEY", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("never with azd env set", run.StdErr, StringComparison.Ordinal);
        Assert.Empty(run.AzCalls("keyvault secret set"));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Postprovision_on_an_isolated_vault_prints_the_command_to_run_from_inside(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "postprovision", new Dictionary<string, string>(CiCredentials)
        {
            ["FAKE_LIST_FAILURES"] = "1",
            ["FAKE_LIST_ERROR"] = "(Forbidden) Public network access is disabled and request is not from a trusted service nor via an approved private link. Inner error: ForbiddenByConnection",
        });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("only from inside its virtual network", run.StdOut, StringComparison.Ordinal);
        Assert.Contains($"KEY_VAULT_NAME", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("rotate-videosdk-secret", run.StdOut, StringComparison.Ordinal);
        Assert.Empty(run.AzCalls("keyvault secret set"));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Postprovision_waits_for_a_role_assignment_to_take_effect(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "postprovision", new Dictionary<string, string>(CiCredentials)
        {
            ["FAKE_LIST_FAILURES"] = "2",
            ["FAKE_LIST_ERROR"] = "(Forbidden) Caller is not authorized to perform action on resource. Inner error: ForbiddenByRbac",
            ["HOOK_RBAC_DELAY_SECONDS"] = "0",
        });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(3, run.AzCalls("keyvault secret list").Count());
        Assert.Equal(ApiSecret, clis.Secret("videosdk-api-secret"));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Preprovision_refuses_undecided_caller_authentication_naming_the_azd_commands(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "preprovision", new Dictionary<string, string>());

        Assert.NotEqual(0, run.ExitCode);
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

    [Theory]
    [InlineData(HookShell.Sh, "servicePrincipal", "ServicePrincipal")]
    [InlineData(HookShell.Sh, "user", "User")]
    [InlineData(HookShell.Pwsh, "servicePrincipal", "ServicePrincipal")]
    [InlineData(HookShell.Pwsh, "user", "User")]
    public async Task Preprovision_derives_the_principal_type_and_stores_it(HookShell shell, string accountType, string expected)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "preprovision", new Dictionary<string, string> { ["ALLOW_ANONYMOUS_CALLERS"] = "true", ["FAKE_USER_TYPE"] = accountType });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(expected, clis.AzdEnvironment.GetValueOrDefault("AZURE_PRINCIPAL_TYPE"));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Preprovision_keeps_a_principal_type_already_set(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "preprovision", new Dictionary<string, string>
        {
            ["CALLER_AUTH_AUTHORITY"] = "https://login.example.com/tenant/v2.0",
            ["CALLER_AUTH_AUDIENCE"] = "api://videosdk-token",
            ["AZURE_PRINCIPAL_TYPE"] = "Group",
        });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.AzCalls("account show"));
        Assert.False(clis.AzdEnvironment.ContainsKey("AZURE_PRINCIPAL_TYPE"));
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Preprovision_recovers_a_soft_deleted_vault_of_the_environment_and_says_so(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "preprovision", DeletedVault());

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(clis.Recovered);
        Assert.Contains($"az keyvault recover --name {Vault} --output none", run.Calls);
        Assert.Contains("az group create --name rg-hooks --location westeurope --output none", run.Calls);
        Assert.Contains($"recovered the soft-deleted {Vault}", run.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Preprovision_chooses_a_new_vault_name_when_asked_to_and_says_which(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "preprovision", new Dictionary<string, string>(DeletedVault()) { ["KEY_VAULT_ON_DELETED"] = "new" });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(clis.Recovered);
        var fresh = clis.AzdEnvironment["AZURE_KEY_VAULT_NAME"];
        Assert.Matches($"^{Vault}-[0-9a-f]{{4}}$", fresh);
        Assert.InRange(fresh.Length, 3, 24);
        Assert.Contains(fresh, run.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Preprovision_leaves_an_existing_vault_alone(HookShell shell)
    {
        using var clis = new FakeAzureClis();

        var run = await clis.RunAsync(shell, "preprovision", new Dictionary<string, string>(DeletedVault()) { ["FAKE_VAULT"] = "active" });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.AzCalls("keyvault show-deleted"));
        Assert.False(clis.Recovered);
    }

    [Theory]
    [MemberData(nameof(Shells))]
    public async Task Rotation_writes_the_pair_and_says_when_the_old_one_may_be_revoked(HookShell shell)
    {
        using var clis = new FakeAzureClis();
        clis.SetSecret("videosdk-api-key", "old-key");
        clis.SetSecret("videosdk-api-secret", "old-secret-old-secret-old-secret-old-secret");

        var run = await clis.RunAsync(shell, "rotate-videosdk-secret", CiCredentials);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(ApiKey, clis.Secret("videosdk-api-key"));
        Assert.Equal(ApiSecret, clis.Secret("videosdk-api-secret"));
        AssertNoValueShown(run);
        AssertPairWrittenKeyFirstThroughPrivateFiles(clis);
        Assert.Contains("KeyVault__RefreshInterval", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("Tokens__MaxTtlSeconds", run.StdOut, StringComparison.Ordinal);
        Assert.Contains("revoking sooner cuts them off", run.StdOut, StringComparison.Ordinal);
    }

    private static readonly string[] UndecidedCommands =
    [
        "azd env set CALLER_AUTH_AUTHORITY", "azd env set CALLER_AUTH_AUDIENCE", "azd env set ALLOW_ANONYMOUS_CALLERS true",
    ];

    private static Dictionary<string, string> DeletedVault() => new()
    {
        ["ALLOW_ANONYMOUS_CALLERS"] = "true",
        ["AZURE_PRINCIPAL_TYPE"] = "User",
        ["KEY_VAULT_NAME"] = Vault,
        ["AZURE_RESOURCE_GROUP"] = "rg-hooks",
        ["AZURE_LOCATION"] = "westeurope",
        ["FAKE_VAULT"] = "deleted",
    };

    private static void AssertNoValueShown(HookRun run)
    {
        foreach (var value in new[] { ApiKey, ApiSecret })
        {
            Assert.DoesNotContain(run.Calls, call => call.Contains(value, StringComparison.Ordinal));
            Assert.DoesNotContain(value, run.Output, StringComparison.Ordinal);
        }
    }

    /// <summary>Key first; the secret tagged with the key's version, so a reader can fetch the matching key.</summary>
    private static void AssertPairWrittenKeyFirstThroughPrivateFiles(FakeAzureClis clis)
    {
        var writes = clis.Writes;
        Assert.Equal(["videosdk-api-key", "videosdk-api-secret"], writes.Select(write => write.Name));
        Assert.Equal($"{TokenFunction.Secrets.KeyVaultOptions.ApiKeyVersionTag}={writes[0].Version}", clis.Tags("videosdk-api-secret"));
        Assert.All(writes, write => Assert.Equal("600", write.Mode));
        Assert.All(writes, write => Assert.False(File.Exists(write.File), $"{write.File} was left behind"));
    }
}
