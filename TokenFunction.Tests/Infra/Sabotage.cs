namespace TokenFunction.Tests.Infra;

/// <summary>
/// Independent breaks applied together to one copy of infra/ (one compile instead of one per break), in
/// main.bicep and in the modules: each must be caught by its own rule, and by no other.
/// </summary>
public static class Sabotage
{
    public static readonly IReadOnlyList<(string File, string Find, string Replace, InfraRule CaughtBy)> Breaks =
    [
        ("app/key-vault.bicep", "enablePurgeProtection: true", "enablePurgeProtection: false", VaultRules.KeyVaultPurgeProtectionOn),
        ("app/storage.bicep", "allowSharedKeyAccess: false", "allowSharedKeyAccess: true", StorageRules.StorageSharedKeyDisabled),
        ("rbac.bicep", "  scope: keyVault\n  properties: appIdentityGrant(roleIds.keyVaultSecretsUser",
            "  scope: resourceGroup()\n  properties: appIdentityGrant(roleIds.keyVaultSecretsUser", VaultRules.AppReadsSecretsOnItsOwnVault),
        ("app/function-app.bicep", "httpsOnly: true", "httpsOnly: false", SiteRules.HttpsOnly),
        ("app/function-app.bicep", "ftpsState: 'Disabled'", "ftpsState: 'FtpsOnly'", SiteRules.FtpsDisabled),
        ("monitoring/monitoring.bicep", "DisableLocalAuth: true", "DisableLocalAuth: false", MonitoringRules.AppInsightsLocalAuthDisabled),
        ("main.bicep", "networkIsolation ? network!.outputs.appSubnetId : ''",
            "networkIsolation ? resourceId('Microsoft.Network/virtualNetworks/subnets', names.virtualNetwork, 'snet-app') : ''",
            NetworkRules.AppJoinsTheDelegatedSubnetWhenIsolated),
    ];

    public static (string File, string Find, string Replace)[] Edits => Breaks.Select(b => (b.File, b.Find, b.Replace)).ToArray();
}
