using Microsoft.Extensions.Configuration;

namespace TokenFunction.Secrets;

/// <summary>
/// Where the signing credentials come from: Key Vault when <c>KeyVault:VaultUri</c> is set, otherwise configuration
/// (local development). Decided once when the app is composed; read from configuration rather than
/// IOptions&lt;KeyVaultOptions&gt;, so that an invalid vault setting is reported once, by its own validator.
/// </summary>
internal sealed record CredentialsMode(bool FromVault)
{
    public static CredentialsMode From(IConfiguration configuration) =>
        new(configuration.GetSection(KeyVaultOptions.SectionName).Get<KeyVaultOptions>()?.IsConfigured == true);
}
