using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using static TokenFunction.Secrets.KeyVaultOptionsValidator;
using TokenFunction.Platform;
using TokenFunction.VideoSdk;

namespace TokenFunction.Secrets;

/// <summary>
/// Start-up checks of the VideoSDK settings, which depend on the mode: with a vault the secret must not be
/// in configuration; without one (local development) key and secret both must be.
/// </summary>
/// <remarks>
/// The vault's secret names are read from configuration rather than IOptions&lt;KeyVaultOptions&gt;, so that an
/// invalid vault setting is reported once, by its own validator, instead of again from here.
/// </remarks>
internal sealed class VideoSdkOptionsValidator(CredentialsMode mode, IConfiguration configuration, HostingPlatform platform) : IValidateOptions<VideoSdkOptions>
{
    public ValidateOptionsResult Validate(string? name, VideoSdkOptions options)
    {
        var failures = new List<string>();
        var vault = configuration.GetSection(KeyVaultOptions.SectionName).Get<KeyVaultOptions>() ?? new KeyVaultOptions();
        if (mode.FromVault)
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
        else if (platform.RunsInAzure)
        {
            // In Azure the secret belongs in Key Vault, read by managed identity: an app setting is visible to
            // everyone who can read the site's configuration, and is never rotated by the vault.
            failures.Add($"{Key(nameof(vault.VaultUri))} is empty but the app runs in Azure ({HostingPlatform.Describe} is set): "
                         + $"store the VideoSDK secret in Key Vault and set {Key(nameof(vault.VaultUri))}; {VideoSdkOptions.SectionName}:{nameof(options.ApiSecret)} is for local development only.");
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
            else if (!SigningCredentials.IsStrongEnough(options.ApiSecret))
            {
                failures.Add(SigningCredentials.TooShort($"{VideoSdkOptions.SectionName}:{nameof(options.ApiSecret)}"));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
