using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace TokenFunction.Secrets;

/// <summary>Start-up checks of where the signing credentials come from; each failure names the setting to fix.</summary>
/// <remarks>
/// Reads the KeyVault section from configuration, as <see cref="SecretsServiceCollectionExtensions.AddSigningCredentials"/>
/// does, not through <c>IOptions&lt;KeyVaultOptions&gt;</c>: that factory runs this validator, and the cycle
/// hung the first resolution of any of these options (and so the host's start-up validation).
/// </remarks>
public sealed partial class SecretsOptionsValidator(IConfiguration configuration) :
    IValidateOptions<KeyVaultOptions>, IValidateOptions<VideoSdkOptions>
{
    private static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxFetchTimeout = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, KeyVaultOptions options)
    {
        if (!options.IsConfigured)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        var vault = options.VaultUri!;
        if (!vault.IsAbsoluteUri || vault.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{Key(nameof(options.VaultUri))} must be an absolute https:// URI, such as https://my-vault.vault.azure.net/.");
        }

        if (!IsSecretName(options.ApiSecretName))
        {
            failures.Add($"{Key(nameof(options.ApiSecretName))} must be a Key Vault secret name: 1 to 127 letters, digits and dashes.");
        }

        if (options.RefreshInterval < MinRefreshInterval)
        {
            failures.Add($"{Key(nameof(options.RefreshInterval))} must be at least {MinRefreshInterval}.");
        }

        if (options.MaxStaleness < options.RefreshInterval)
        {
            failures.Add($"{Key(nameof(options.MaxStaleness))} must be at least {Key(nameof(options.RefreshInterval))} ({options.RefreshInterval}).");
        }

        if (options.FetchTimeout <= TimeSpan.Zero || options.FetchTimeout > MaxFetchTimeout)
        {
            failures.Add($"{Key(nameof(options.FetchTimeout))} must be more than zero and at most {MaxFetchTimeout}.");
        }

        if (!string.IsNullOrEmpty(options.ManagedIdentityClientId) && !Guid.TryParse(options.ManagedIdentityClientId, out _))
        {
            failures.Add($"{Key(nameof(options.ManagedIdentityClientId))} must be the client id (a GUID) of a user-assigned managed identity, or empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, VideoSdkOptions options)
    {
        var failures = new List<string>();
        var vault = configuration.GetSection(KeyVaultOptions.SectionName).Get<KeyVaultOptions>() ?? new KeyVaultOptions();
        if (vault.IsConfigured)
        {
            if (!string.IsNullOrEmpty(options.ApiSecret))
            {
                failures.Add($"{VideoSdkOptions.SectionName}:{nameof(options.ApiSecret)} must not be set when {Key(nameof(vault.VaultUri))} is: the secret is read from Key Vault. Remove the setting.");
            }

            if (string.IsNullOrWhiteSpace(options.ApiKey) && !IsSecretName(vault.ApiKeySecretName))
            {
                failures.Add($"Set {VideoSdkOptions.SectionName}:{nameof(options.ApiKey)}, or {Key(nameof(vault.ApiKeySecretName))} to a Key Vault secret name.");
            }
        }
        else
        {
            if (string.IsNullOrWhiteSpace(options.ApiKey))
            {
                failures.Add($"{VideoSdkOptions.SectionName}:{nameof(options.ApiKey)} is required when {Key(nameof(vault.VaultUri))} is empty (local development mode).");
            }

            if (string.IsNullOrWhiteSpace(options.ApiSecret))
            {
                failures.Add($"{VideoSdkOptions.SectionName}:{nameof(options.ApiSecret)} is required when {Key(nameof(vault.VaultUri))} is empty (local development mode).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Key(string property) => $"{KeyVaultOptions.SectionName}:{property}";

    private static bool IsSecretName(string? value) => value is not null && SecretName().IsMatch(value);

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$")]
    private static partial Regex SecretName();
}
