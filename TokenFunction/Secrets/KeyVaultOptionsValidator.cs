using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace TokenFunction.Secrets;

/// <summary>Start-up checks of the Key Vault settings; each failure names the setting to fix.</summary>
internal sealed partial class KeyVaultOptionsValidator : IValidateOptions<KeyVaultOptions>
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

    internal static string Key(string property) => $"{KeyVaultOptions.SectionName}:{property}";

    internal static bool IsSecretName(string? value) => value is not null && SecretName().IsMatch(value);

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$")]
    private static partial Regex SecretName();
}
