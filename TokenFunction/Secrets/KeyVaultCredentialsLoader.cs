using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Options;
using TokenFunction.VideoSdk;

namespace TokenFunction.Secrets;

/// <summary>The pair read from the vault, and when it expires: the earlier of the two secrets' expiry dates, if any.</summary>
internal sealed record VaultCredentials(SigningCredentials Credentials, DateTimeOffset? ExpiresOn);

/// <summary>
/// One bounded read of the API secret (and the API key, unless it is a plain setting) from Key Vault. The key
/// and secret are one pair: the key at the version the secret's
/// <see cref="KeyVaultOptions.ApiKeyVersionTag"/> names is its partner, so a rotation half done (new key, old
/// secret) is never seen. A secret without the tag (set by hand) is paired with the key's current version.
/// </summary>
internal sealed class KeyVaultCredentialsLoader(
    SecretClient client,
    IOptions<KeyVaultOptions> keyVaultOptions,
    IOptions<VideoSdkOptions> videoSdkOptions,
    TimeProvider timeProvider)
{
    private readonly KeyVaultOptions _vault = keyVaultOptions.Value;
    private readonly string? _plainApiKey = string.IsNullOrWhiteSpace(videoSdkOptions.Value.ApiKey) ? null : videoSdkOptions.Value.ApiKey;

    /// <summary>Ends only by its own timeout: the read is shared by every waiting request (the cache), so none of them may cancel it.</summary>
    public async Task<VaultCredentials> LoadAsync()
    {
        // On the app's clock, like every other bound, so a test can run out the timeout without waiting for it.
        using var timeout = new CancellationTokenSource(_vault.FetchTimeout, timeProvider);

        try
        {
            // Both current versions are read together (one round trip when no rotation is under way), and both
            // are awaited, so neither outlives the timeout unobserved.
            var secretRead = client.GetSecretAsync(_vault.ApiSecretName, cancellationToken: timeout.Token);
            var keyRead = _plainApiKey is null
                ? client.GetSecretAsync(_vault.ApiKeySecretName, cancellationToken: timeout.Token)
                : null;
            await Task.WhenAll(keyRead is null ? [secretRead] : [secretRead, keyRead]).ConfigureAwait(false);

            var secret = secretRead.Result.Value;
            var key = _plainApiKey is null ? await PairedKeyAsync(secret, keyRead!.Result.Value, timeout.Token).ConfigureAwait(false) : null;
            var apiKey = _plainApiKey ?? RequireValue(key!, _vault.ApiKeySecretName);
            var apiSecret = RequireValue(secret, _vault.ApiSecretName);
            return SigningCredentials.IsStrongEnough(apiSecret)
                ? new VaultCredentials(new SigningCredentials(apiKey, apiSecret, secret.Properties.Version), Earlier(secret.Properties.ExpiresOn, key?.Properties.ExpiresOn))
                : throw new InvalidDataException(SigningCredentials.TooShort($"Key Vault secret '{_vault.ApiSecretName}'"));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"Reading the VideoSDK credentials from Key Vault took longer than {_vault.FetchTimeout} ({KeyVaultOptions.SectionName}:{nameof(KeyVaultOptions.FetchTimeout)}).");
        }
    }

    // A newer key whose secret is not written yet (or an older one) is not this secret's partner: read the
    // version the secret names.
    private async Task<KeyVaultSecret> PairedKeyAsync(KeyVaultSecret secret, KeyVaultSecret currentKey, CancellationToken cancellationToken) =>
        secret.Properties.Tags.TryGetValue(KeyVaultOptions.ApiKeyVersionTag, out var paired)
        && !string.Equals(paired, currentKey.Properties.Version, StringComparison.OrdinalIgnoreCase)
            ? (await client.GetSecretAsync(_vault.ApiKeySecretName, paired, cancellationToken).ConfigureAwait(false)).Value
            : currentKey;

    // The pair is only as current as its first half to expire.
    private static DateTimeOffset? Earlier(DateTimeOffset? first, DateTimeOffset? second) =>
        first is { } a && second is { } b ? (a < b ? a : b) : first ?? second;

    private static string RequireValue(KeyVaultSecret secret, string name) =>
        string.IsNullOrWhiteSpace(secret.Value)
            ? throw new InvalidDataException($"Key Vault secret '{name}' is empty.")
            : secret.Value;
}
