using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace TokenFunction.Secrets;

/// <summary>How the process's one <see cref="SecretClient"/> authenticates (as the app's managed identity, or as the developer) and retries.</summary>
internal static class KeyVaultClientFactory
{
    /// <summary>
    /// Set by App Service and Azure Functions wherever a managed identity is available; its absence means
    /// a developer machine, where the Azure CLI / azd / Visual Studio sign-in is used instead.
    /// </summary>
    public const string ManagedIdentityEndpointVariable = "IDENTITY_ENDPOINT";

    public static bool ManagedIdentityAvailable =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ManagedIdentityEndpointVariable));

    /// <summary>Bounded retries of throttling and server errors; the whole read is bounded by <see cref="KeyVaultOptions.FetchTimeout"/>.</summary>
    public static void ConfigureRetries(SecretClientOptions client, KeyVaultOptions options)
    {
        client.Retry.Mode = RetryMode.Exponential;
        client.Retry.MaxRetries = 3;
        client.Retry.Delay = TimeSpan.FromMilliseconds(500);
        client.Retry.MaxDelay = TimeSpan.FromSeconds(4);
        client.Retry.NetworkTimeout = options.FetchTimeout;
    }

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
