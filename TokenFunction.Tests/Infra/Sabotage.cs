namespace TokenFunction.Tests.Infra;

/// <summary>
/// Independent breaks applied together to one copy of infra/ (one compile instead of one per break), in
/// main.bicep, its parameters file and the modules: each must be caught by its own rule, and by no other.
/// </summary>
public static class Sabotage
{
    public static readonly IReadOnlyList<(string File, string Find, string Replace, InfraRule CaughtBy)> Breaks =
    [
        ("app/key-vault.bicep", "enablePurgeProtection: true", "enablePurgeProtection: false", VaultRules.KeyVaultPurgeProtectionOn),
        ("app/key-vault.bicep", "{ category: 'AllMetrics', enabled: true }", "{ category: 'AllMetrics', enabled: false }",
            VaultRules.KeyVaultLogsAndMetricsGoToLogAnalytics),
        ("app/storage.bicep", "allowSharedKeyAccess: false", "allowSharedKeyAccess: true", StorageRules.StorageSharedKeyDisabled),
        ("app/storage.bicep", "{ categoryGroup: 'allLogs', enabled: true }", "{ categoryGroup: 'audit', enabled: true }",
            StorageRules.BlobServiceLogsGoToLogAnalytics),
        ("rbac.bicep", "  scope: keyVault\n  properties: grant(roleIds.keyVaultSecretsUser",
            "  scope: resourceGroup()\n  properties: grant(roleIds.keyVaultSecretsUser", VaultRules.AppReadsSecretsOnItsOwnVault),
        ("app/function-app.bicep", "httpsOnly: true", "httpsOnly: false", SiteRules.HttpsOnly),
        // The quickstart's AVM-based site sets alwaysOn: false; Flex Consumption refuses the property.
        ("app/function-app.bicep", "      http20Enabled: true\n", "      http20Enabled: true\n      alwaysOn: false\n", SiteRules.NoFlexDeprecatedSiteProperties),
        ("main.bicep", "    { name: 'RateLimit__ReplenishmentPeriod', value: rateLimitReplenishmentPeriod }\n",
            "    { name: 'RateLimit__ReplenishmentPeriod', value: rateLimitReplenishmentPeriod }\n    { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'dotnet-isolated' }\n",
            SiteRules.NoFlexDeprecatedAppSettings),
        ("app/function-app.bicep", "    type: 'UserAssigned'\n", "    type: 'SystemAssigned, UserAssigned'\n", IdentityRules.AppRunsAsItsUserAssignedIdentity),
        ("main.bicep", "    { name: 'KeyVault__ManagedIdentityClientId', value: appIdentity.outputs.clientId }\n", "",
            IdentityRules.AppSettingsNameTheUserAssignedIdentity),
        ("main.bicep", "  dependsOn: [rbac]\n", "", IdentityRules.GrantsExistBeforeTheSite),
        ("monitoring/monitoring.bicep", "DisableLocalAuth: true", "DisableLocalAuth: false", MonitoringRules.AppInsightsLocalAuthDisabled),
        ("monitoring/monitoring.bicep", "features: { disableLocalAuth: true }", "features: { disableLocalAuth: false }",
            MonitoringRules.LogAnalyticsLocalAuthDisabled),
        ("main.bicep", "  'westus3'\n", "", TemplateRules.LocationIsAFlexConsumptionRegion),
        ("main.bicep", "networkIsolation ? network!.outputs.appSubnetId : ''",
            "networkIsolation ? resourceId('Microsoft.Network/virtualNetworks/subnets', names.virtualNetwork, 'snet-app') : ''",
            NetworkRules.AppJoinsTheDelegatedSubnetWhenIsolated),
        // A cache nobody asked for, billed to every deployment.
        ("main.bicepparam", "readEnvironmentVariable('GLOBAL_RATE_LIMIT', 'false')", "readEnvironmentVariable('GLOBAL_RATE_LIMIT', 'true')",
            RedisRules.ManagedRedisExactlyWithGlobalRateLimit),
        ("app/redis.bicep", "accessKeysAuthentication: 'Disabled'", "accessKeysAuthentication: 'Enabled'", RedisRules.ManagedRedisAcceptsNoAccessKeys),
        ("app/redis.bicep", "clientProtocol: 'Encrypted'", "clientProtocol: 'Plaintext'", RedisRules.ManagedRedisSpeaksTlsOnly),
        // The identity's client id where Redis expects the object id: the app's Entra token would be refused.
        ("app/redis.bicep", "objectId: appIdentity.properties.principalId", "objectId: appIdentity.properties.clientId",
            RedisRules.ManagedRedisAdmitsTheAppIdentity),
        // Azure Cache for Redis's zone: a real zone that resolves nothing of Azure Managed Redis.
        ("network.bicep", "zone: 'privatelink.redis.azure.net'", "zone: 'privatelink.redis.cache.windows.net'",
            RedisRules.ManagedRedisPrivateExactlyWhenIsolated),
        ("app/function-app.bicep", "    keyVaultReferenceIdentity: identityId\n", "", RedisRules.RateLimitKeyComesFromTheVault),
    ];

    public static (string File, string Find, string Replace)[] Edits => Breaks.Select(b => (b.File, b.Find, b.Replace)).ToArray();
}
