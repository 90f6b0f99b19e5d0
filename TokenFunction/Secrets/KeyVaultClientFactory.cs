using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using TokenFunction.Platform;

namespace TokenFunction.Secrets;

/// <summary>How the process's one <see cref="SecretClient"/> authenticates (as the app's managed identity, or as the developer) and retries.</summary>
internal static class KeyVaultClientFactory
{
    /// <summary>Bounded retries of throttling and server errors; the whole read is bounded by <see cref="KeyVaultOptions.FetchTimeout"/>.</summary>
    public static void ConfigureRetries(SecretClientOptions client, KeyVaultOptions options)
    {
        client.Retry.Mode = RetryMode.Exponential;
        client.Retry.MaxRetries = 3;
        client.Retry.Delay = TimeSpan.FromMilliseconds(500);
        client.Retry.MaxDelay = TimeSpan.FromSeconds(4);
        client.Retry.NetworkTimeout = options.FetchTimeout;
    }

    public static string DescribeCredential(KeyVaultOptions options, HostingPlatform platform) =>
        !platform.HasManagedIdentity ? "developer sign-in (Azure CLI, azd or Visual Studio)"
        : string.IsNullOrEmpty(options.ManagedIdentityClientId) ? "system-assigned managed identity"
        : "user-assigned managed identity";

    /// <summary>The app's managed identity in Azure (user-assigned when a client id is set), the developer's sign-in elsewhere.</summary>
    public static TokenCredential CreateCredential(KeyVaultOptions options, HostingPlatform platform)
    {
        if (!platform.HasManagedIdentity)
        {
            return new ChainedTokenCredential(new AzureCliCredential(), new AzureDeveloperCliCredential(), new VisualStudioCredential());
        }

        var identity = string.IsNullOrEmpty(options.ManagedIdentityClientId)
            ? ManagedIdentityId.SystemAssigned
            : ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId);
        return new ManagedIdentityCredential(identity);
    }
}
