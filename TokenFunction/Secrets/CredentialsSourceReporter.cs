using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunction.Platform;

namespace TokenFunction.Secrets;

/// <summary>Says once at start-up where signing credentials come from, so nobody mistakes development mode for production.</summary>
internal sealed partial class CredentialsSourceReporter(IOptions<KeyVaultOptions> options, HostingPlatform platform, ILogger<CredentialsSourceReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var vault = options.Value;
        if (vault.IsConfigured)
        {
            var credential = KeyVaultClientFactory.DescribeCredential(vault, platform);
            LogKeyVault(vault.VaultUri!, vault.ApiSecretName, credential, vault.RefreshInterval);
        }
        else
        {
            LogDevelopmentMode();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "Signing credentials come from Key Vault {VaultUri} (secret {SecretName}) through the {Credential}, refreshed every {RefreshInterval}")]
    private partial void LogKeyVault(Uri vaultUri, string secretName, string credential, TimeSpan refreshInterval);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning,
        Message = "Development mode: KeyVault:VaultUri is empty, so the VideoSDK key and secret come from configuration (VideoSdk:ApiKey, VideoSdk:ApiSecret). Configure a vault for production")]
    private partial void LogDevelopmentMode();
}
