using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TokenFunction.Platform;
using TokenFunction.Secrets;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Secrets;

/// <summary>
/// As whom the app reads the vault, and the start-up line that says so: the managed identity where the platform
/// offers one (IDENTITY_ENDPOINT set, as on an Azure instance), the developer's own sign-in elsewhere.
/// </summary>
public sealed class CredentialsSourceReportTests
{
    private const string IdentityEndpoint = "http://127.0.0.1:41999/msi/token";

    public static TheoryData<string?, string?, string> Identities => new()
    {
        { IdentityEndpoint, null, "system-assigned managed identity" },
        { IdentityEndpoint, "3f1c0d5e-8a52-4a55-9d57-2b7f3c0e9a11", "user-assigned managed identity" },
        { null, null, "developer sign-in (Azure CLI, azd or Visual Studio)" },
        { "", "3f1c0d5e-8a52-4a55-9d57-2b7f3c0e9a11", "developer sign-in (Azure CLI, azd or Visual Studio)" },
    };

    [Theory]
    [MemberData(nameof(Identities))]
    public async Task In_vault_mode_the_vault_the_secret_and_the_identity_are_named(string? identityEndpoint, string? clientId, string credential)
    {
        var lines = await StartUpLinesAsync(new Dictionary<string, string?>
        {
            [HostingPlatform.ManagedIdentityEndpointSetting] = identityEndpoint,
            ["KeyVault:VaultUri"] = "https://kv-report.vault.azure.net/",
            ["KeyVault:ManagedIdentityClientId"] = clientId,
            ["KeyVault:RefreshInterval"] = "00:07:00",
            ["VideoSdk:ApiSecret"] = "",
        });

        var line = Assert.Single(lines);
        Assert.Equal((1000, LogLevel.Information), (line.Id.Id, line.Level));
        Assert.Equal($"Signing credentials come from Key Vault https://kv-report.vault.azure.net/ (secret videosdk-api-secret) through the {credential}, refreshed every 00:07:00",
            line.Message);
    }

    [Fact]
    public async Task Without_a_vault_the_app_warns_that_it_runs_in_development_mode()
    {
        var line = Assert.Single(await StartUpLinesAsync(new Dictionary<string, string?>()));

        Assert.Equal((1004, LogLevel.Warning), (line.Id.Id, line.Level));
        Assert.StartsWith("Development mode: KeyVault:VaultUri is empty", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void On_a_developer_machine_the_vault_is_read_with_the_developers_sign_in_not_a_managed_identity()
    {
        var credential = KeyVaultClientFactory.CreateCredential(new KeyVaultOptions { ManagedIdentityClientId = "3f1c0d5e-8a52-4a55-9d57-2b7f3c0e9a11" }, Platform(identityEndpoint: null));

        Assert.IsType<ChainedTokenCredential>(credential);
    }

    [Fact]
    public void Where_the_platform_offers_a_managed_identity_the_vault_is_read_as_the_app()
    {
        var credential = KeyVaultClientFactory.CreateCredential(new KeyVaultOptions(), Platform(IdentityEndpoint));

        Assert.IsType<ManagedIdentityCredential>(credential);
    }

    [Fact]
    public void Each_try_is_bounded_by_the_fetch_timeout_with_at_most_three_retries_a_few_seconds_apart()
    {
        var client = new SecretClientOptions();

        KeyVaultClientFactory.ConfigureRetries(client, new KeyVaultOptions { FetchTimeout = TimeSpan.FromSeconds(7) });

        // The SDK's defaults would wait up to a minute between tries, each up to 100 s: a refresh stuck for minutes.
        Assert.Equal(
            (RetryMode.Exponential, 3, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(7)),
            (client.Retry.Mode, client.Retry.MaxRetries, client.Retry.Delay, client.Retry.MaxDelay, client.Retry.NetworkTimeout));
    }

    private static HostingPlatform Platform(string? identityEndpoint) =>
        new(new ConfigurationBuilder().AddInMemoryCollection([new(HostingPlatform.ManagedIdentityEndpointSetting, identityEndpoint)]).Build());

    private static async Task<List<Microsoft.Extensions.Logging.Testing.FakeLogRecord>> StartUpLinesAsync(Dictionary<string, string?> settings)
    {
        using var app = new TestApp(settings);
        await app.Get<IEnumerable<IHostedService>>().OfType<CredentialsSourceReporter>().Single().StartAsync(CancellationToken.None);
        return app.Logs.Where(log => log.Category == typeof(CredentialsSourceReporter).FullName).ToList();
    }
}
