using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace TokenFunction.Secrets;

/// <summary>Builds the process's one <see cref="SecretClient"/>, authenticated as the app (managed identity) or as the developer.</summary>
public static class KeyVaultClientFactory
{
    /// <summary>
    /// Set by App Service and Azure Functions wherever a managed identity is available; its absence means
    /// a developer machine, where the Azure CLI / azd / Visual Studio sign-in is used instead.
    /// </summary>
    public const string ManagedIdentityEndpointVariable = "IDENTITY_ENDPOINT";

    public static bool ManagedIdentityAvailable =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ManagedIdentityEndpointVariable));

    public static SecretClient Create(KeyVaultOptions options) =>
        new(options.VaultUri, CreateCredential(options), CreateClientOptions(options));

    /// <summary>Bounded retries of throttling and server errors; the whole read is bounded by <see cref="KeyVaultOptions.FetchTimeout"/>.</summary>
    public static SecretClientOptions CreateClientOptions(KeyVaultOptions options) =>
        new()
        {
            Retry =
            {
                Mode = RetryMode.Exponential,
                MaxRetries = 3,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(4),
                NetworkTimeout = options.FetchTimeout,
            },
        };

    public static string DescribeCredential(KeyVaultOptions options) =>
        !ManagedIdentityAvailable ? "developer sign-in (Azure CLI, azd or Visual Studio)"
        : string.IsNullOrEmpty(options.ManagedIdentityClientId) ? "system-assigned managed identity"
        : "user-assigned managed identity";

    /// <summary>The app's managed identity in Azure (user-assigned when a client id is set), the developer's sign-in elsewhere.</summary>
    public static TokenCredential CreateCredential(KeyVaultOptions options)
    {
        if (!ManagedIdentityAvailable)
        {
            return new ChainedTokenCredential(new AzureCliCredential(), new AzureDeveloperCliCredential(), new VisualStudioCredential());
        }

        var identity = string.IsNullOrEmpty(options.ManagedIdentityClientId)
            ? ManagedIdentityId.SystemAssigned
            : ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId);
        return new ManagedIdentityCredential(identity);
    }
}
