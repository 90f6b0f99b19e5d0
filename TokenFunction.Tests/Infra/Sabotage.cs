namespace TokenFunction.Tests.Infra;

/// <summary>
/// Independent breaks applied together to one copy of main.bicep (one compile instead of one per break):
/// each must be caught by its own rule, and by no other.
/// </summary>
public static class Sabotage
{
    public static readonly IReadOnlyList<(string Find, string Replace, InfraRule CaughtBy)> Breaks =
    [
        ("enablePurgeProtection: true", "enablePurgeProtection: false", VaultRules.KeyVaultPurgeProtectionOn),
        ("allowSharedKeyAccess: false", "allowSharedKeyAccess: true", StorageRules.StorageSharedKeyDisabled),
        ("    scope: secrets[i]\n", "    scope: keyVault\n", VaultRules.SecretReadersScopedToEachSecret),
        ("httpsOnly: true", "httpsOnly: false", SiteRules.HttpsOnly),
        ("ftpsState: 'Disabled'", "ftpsState: 'FtpsOnly'", SiteRules.FtpsDisabled),
        ("DisableLocalAuth: true", "DisableLocalAuth: false", MonitoringRules.AppInsightsLocalAuthDisabled),
        ("  dependsOn: [virtualNetwork]\n}", "}", NetworkRules.AppJoinsTheDelegatedSubnetWhenIsolated),
    ];

    public static (string Find, string Replace)[] Edits => Breaks.Select(b => (b.Find, b.Replace)).ToArray();
}
