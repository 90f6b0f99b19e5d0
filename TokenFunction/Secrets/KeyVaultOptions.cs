namespace TokenFunction.Secrets;

/// <summary>Where and how often the signing secret is read from Azure Key Vault.</summary>
internal sealed class KeyVaultOptions
{
    public const string SectionName = "KeyVault";

    /// <summary>
    /// Tag on a version of the API secret naming the version of the API key written with it (the hooks and
    /// scripts/rotate-videosdk-secret.sh set it): the app then reads exactly that key, never a newer or older one.
    /// </summary>
    public const string ApiKeyVersionTag = "apiKeyVersion";

    /// <summary>For example <c>https://kv-abc123.vault.azure.net/</c>. Empty selects local development mode.</summary>
    public Uri? VaultUri { get; set; }

    public string ApiSecretName { get; set; } = "videosdk-api-secret";

    /// <summary>Read unless <see cref="VideoSdkOptions.ApiKey"/> is set; the key rotates with the secret, so it belongs beside it.</summary>
    public string ApiKeySecretName { get; set; } = "videosdk-api-key";

    /// <summary>The client id of a user-assigned managed identity; empty uses the system-assigned identity.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>How often the secret is re-read, so a rotation takes effect without a restart.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the last good secret is still used while refreshes fail; then the service answers 503.</summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Upper bound on one fetch, the SDK's own retries included: nothing waits on the vault longer.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool IsConfigured => VaultUri is not null;
}
