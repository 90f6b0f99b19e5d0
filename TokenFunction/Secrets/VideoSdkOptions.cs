namespace TokenFunction.Secrets;

/// <summary>
/// The VideoSDK API key, and for local development only the API secret. In Azure the secret lives in
/// Key Vault (<see cref="KeyVaultOptions"/>); the key may live there too or here as a plain setting.
/// </summary>
internal sealed class VideoSdkOptions
{
    public const string SectionName = "VideoSdk";

    /// <summary>The project's public API key. When set, it is used instead of reading <see cref="KeyVaultOptions.ApiKeySecretName"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Local development only: refused at start-up when a vault is configured.</summary>
    public string? ApiSecret { get; set; }
}
