using System.Reflection;

namespace TokenFunction.Tests.Infra;

/// <summary>One test per promised property, each over the four deployments: shared rate limit off and on, isolation off and on.</summary>
[Collection(InfraTestGroup.Name)]
public sealed class InfraRuleTests(InfraFixture infra)
{
    [Fact] public void FlexConsumptionLinuxPlan() => Holds(SiteRules.FlexConsumptionLinuxPlan);
    [Fact] public void LinuxFunctionApp() => Holds(SiteRules.LinuxFunctionApp);
    [Fact] public void RuntimeIsDotnetIsolated10() => Holds(SiteRules.RuntimeIsDotnetIsolated10);
    [Fact] public void DeploymentPackageReadWithManagedIdentity() => Holds(SiteRules.DeploymentPackageReadWithManagedIdentity);
    [Fact] public void ScaleSettingsComeFromParameters() => Holds(SiteRules.ScaleSettingsComeFromParameters);
    [Fact] public void HttpsOnly() => Holds(SiteRules.HttpsOnly);
    [Fact] public void MinimumTls12() => Holds(SiteRules.MinimumTls12);
    [Fact] public void BasicPublishingCredentialsDisabled() => Holds(SiteRules.BasicPublishingCredentialsDisabled);
    [Fact] public void Http2Enabled() => Holds(SiteRules.Http2Enabled);
    [Fact] public void RemoteDebuggingOff() => Holds(SiteRules.RemoteDebuggingOff);
    [Fact] public void ClientAffinityOff() => Holds(SiteRules.ClientAffinityOff);
    [Fact] public void CorsAllowsNoWildcard() => Holds(SiteRules.CorsAllowsNoWildcard);
    [Fact] public void NoFlexDeprecatedAppSettings() => Holds(SiteRules.NoFlexDeprecatedAppSettings);
    [Fact] public void NoFlexDeprecatedSiteProperties() => Holds(SiteRules.NoFlexDeprecatedSiteProperties);

    [Fact] public void AppRunsAsItsUserAssignedIdentity() => Holds(IdentityRules.AppRunsAsItsUserAssignedIdentity);
    [Fact] public void AppSettingsNameTheUserAssignedIdentity() => Holds(IdentityRules.AppSettingsNameTheUserAssignedIdentity);
    [Fact] public void GrantsExistBeforeTheSite() => Holds(IdentityRules.GrantsExistBeforeTheSite);

    [Fact] public void KeyVaultUsesRbacOnly() => Holds(VaultRules.KeyVaultUsesRbacOnly);
    [Fact] public void KeyVaultSoftDeleteOn() => Holds(VaultRules.KeyVaultSoftDeleteOn);
    [Fact] public void KeyVaultPurgeProtectionOn() => Holds(VaultRules.KeyVaultPurgeProtectionOn);
    [Fact] public void KeyVaultLogsAndMetricsGoToLogAnalytics() => Holds(VaultRules.KeyVaultLogsAndMetricsGoToLogAnalytics);
    [Fact] public void NoSecretTravelsThroughDeployment() => Holds(VaultRules.NoSecretTravelsThroughDeployment);
    [Fact] public void AppReadsSecretsOnItsOwnVault() => Holds(VaultRules.AppReadsSecretsOnItsOwnVault);

    [Fact] public void StorageSharedKeyDisabled() => Holds(StorageRules.StorageSharedKeyDisabled);
    [Fact] public void StorageTls12AndHttpsOnly() => Holds(StorageRules.StorageTls12AndHttpsOnly);
    [Fact] public void StorageHasNoPublicBlobAccess() => Holds(StorageRules.StorageHasNoPublicBlobAccess);
    [Fact] public void HostStorageIsIdentityBased() => Holds(StorageRules.HostStorageIsIdentityBased);
    [Fact] public void BlobServiceLogsGoToLogAnalytics() => Holds(StorageRules.BlobServiceLogsGoToLogAnalytics);
    [Fact] public void AppIdentityOwnsHostBlobData() => Holds(StorageRules.AppIdentityOwnsHostBlobData);

    [Fact] public void AppInsightsIsWorkspaceBased() => Holds(MonitoringRules.AppInsightsIsWorkspaceBased);
    [Fact] public void AppInsightsLocalAuthDisabled() => Holds(MonitoringRules.AppInsightsLocalAuthDisabled);
    [Fact] public void LogAnalyticsLocalAuthDisabled() => Holds(MonitoringRules.LogAnalyticsLocalAuthDisabled);
    [Fact] public void TelemetrySentWithAppIdentity() => Holds(MonitoringRules.TelemetrySentWithAppIdentity);
    [Fact] public void LogRetentionIsAParameter() => Holds(MonitoringRules.LogRetentionIsAParameter);

    [Fact] public void OutputsCarryNoSecrets() => Holds(TemplateRules.OutputsCarryNoSecrets);
    [Fact] public void OutputsNameAppEndpointVaultAndInsights() => Holds(TemplateRules.OutputsNameAppEndpointVaultAndInsights);
    [Fact] public void AppSettingsPointAtTheVaultAndItsSecrets() => Holds(TemplateRules.AppSettingsPointAtTheVaultAndItsSecrets);
    [Fact] public void PolicySettingsHaveTheAgreedDefaults() => Holds(TemplateRules.PolicySettingsHaveTheAgreedDefaults);
    [Fact] public void LocationIsAFlexConsumptionRegion() => Holds(TemplateRules.LocationIsAFlexConsumptionRegion);
    [Fact] public void NamesAreAbbreviationPlusResourceToken() => Holds(TemplateRules.NamesAreAbbreviationPlusResourceToken);
    [Fact] public void EveryTrackedResourceIsTagged() => Holds(TemplateRules.EveryTrackedResourceIsTagged);

    [Fact] public void PublicAccessOffExactlyWhenIsolated() => Holds(NetworkRules.PublicAccessOffExactlyWhenIsolated);
    [Fact] public void AppJoinsTheDelegatedSubnetWhenIsolated() => Holds(NetworkRules.AppJoinsTheDelegatedSubnetWhenIsolated);
    [Fact] public void PrivateEndpointsForVaultAndBlobWhenIsolated() => Holds(NetworkRules.PrivateEndpointsForVaultAndBlobWhenIsolated);

    [Fact] public void ManagedRedisExactlyWithGlobalRateLimit() => Holds(RedisRules.ManagedRedisExactlyWithGlobalRateLimit);
    [Fact] public void ManagedRedisAcceptsNoAccessKeys() => Holds(RedisRules.ManagedRedisAcceptsNoAccessKeys);
    [Fact] public void ManagedRedisSpeaksTlsOnly() => Holds(RedisRules.ManagedRedisSpeaksTlsOnly);
    [Fact] public void ManagedRedisAdmitsTheAppIdentity() => Holds(RedisRules.ManagedRedisAdmitsTheAppIdentity);
    [Fact] public void ManagedRedisPrivateExactlyWhenIsolated() => Holds(RedisRules.ManagedRedisPrivateExactlyWhenIsolated);
    [Fact] public void RateLimitKeyComesFromTheVault() => Holds(RedisRules.RateLimitKeyComesFromTheVault);

    /// <summary>A rule added to a rule class without a test here would never run.</summary>
    [Fact]
    public void EveryRuleHasItsOwnTest()
    {
        var tests = typeof(InfraRuleTests).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(method => method.GetCustomAttribute<FactAttribute>() is not null)
            .Select(method => method.Name);
        Assert.Empty(InfraRule.All.Select(rule => rule.Name).Except(tests));
    }

    private void Holds(InfraRule rule) =>
        Assert.All(infra.Scenarios, scenario => Assert.Empty(rule.Check(scenario)));
}
