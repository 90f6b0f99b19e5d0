using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Options;

namespace TokenFunction.Secrets;

/// <summary>One bounded read of the API secret (and the API key, unless it is a plain setting) from Key Vault.</summary>
internal sealed class KeyVaultCredentialsLoader(
    SecretClient client,
    IOptions<KeyVaultOptions> keyVaultOptions,
    IOptions<VideoSdkOptions> videoSdkOptions)
{
    private readonly KeyVaultOptions _vault = keyVaultOptions.Value;
    private readonly string? _plainApiKey = string.IsNullOrWhiteSpace(videoSdkOptions.Value.ApiKey) ? null : videoSdkOptions.Value.ApiKey;

    public async Task<SigningCredentials> LoadAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_vault.FetchTimeout);

        try
        {
            // Both reads run together and both are awaited, so neither outlives the timeout unobserved.
            var secretRead = client.GetSecretAsync(_vault.ApiSecretName, cancellationToken: timeout.Token);
            var keyRead = _plainApiKey is null
                ? client.GetSecretAsync(_vault.ApiKeySecretName, cancellationToken: timeout.Token)
                : null;
            await Task.WhenAll(keyRead is null ? [secretRead] : [secretRead, keyRead]).ConfigureAwait(false);

            var secret = secretRead.Result.Value;
            var apiKey = _plainApiKey ?? RequireValue(keyRead!.Result.Value, _vault.ApiKeySecretName);
            return new SigningCredentials(apiKey, RequireValue(secret, _vault.ApiSecretName), secret.Properties.Version);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Reading the VideoSDK credentials from Key Vault took longer than {_vault.FetchTimeout} ({KeyVaultOptions.SectionName}:{nameof(KeyVaultOptions.FetchTimeout)}).");
        }
    }

    private static string RequireValue(KeyVaultSecret secret, string name) =>
        string.IsNullOrWhiteSpace(secret.Value)
            ? throw new InvalidDataException($"Key Vault secret '{name}' is empty.")
            : secret.Value;
}
