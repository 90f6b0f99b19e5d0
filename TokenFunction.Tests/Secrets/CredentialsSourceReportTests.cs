using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TokenFunction.Secrets;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Secrets;

/// <summary>
/// The start-up line saying where the signing credentials come from, and as whom the app reads the vault. In the
/// managed-identity collection: there IDENTITY_ENDPOINT is set, as on an Azure instance.
/// </summary>
[Collection(SharedManagedIdentity.Name)]
public sealed class CredentialsSourceReportTests(ManagedIdentityFixture identity)
{
    public static TheoryData<string?, string> Identities => new()
    {
        { null, "system-assigned managed identity" },
        { "3f1c0d5e-8a52-4a55-9d57-2b7f3c0e9a11", "user-assigned managed identity" },
    };

    [Theory]
    [MemberData(nameof(Identities))]
    public async Task In_vault_mode_the_vault_the_secret_and_the_identity_are_named(string? clientId, string credential)
    {
        // The premise: the app sees a managed-identity endpoint, the collection's.
        Assert.Equal(identity.Identity.EnvironmentVariables[ManagedIdentityStandIn.EndpointVariable],
            Environment.GetEnvironmentVariable(KeyVaultClientFactory.ManagedIdentityEndpointVariable));
        var lines = await StartUpLinesAsync(new Dictionary<string, string?>
        {
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

    private static async Task<List<Microsoft.Extensions.Logging.Testing.FakeLogRecord>> StartUpLinesAsync(Dictionary<string, string?> settings)
    {
        using var app = new TestApp(settings);
        await app.Get<IEnumerable<IHostedService>>().OfType<CredentialsSourceReporter>().Single().StartAsync(CancellationToken.None);
        return app.Logs.Where(log => log.Category == typeof(CredentialsSourceReporter).FullName).ToList();
    }
}
