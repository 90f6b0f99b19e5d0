using System.Text.Json.Nodes;
using static TokenFunction.Tests.Infra.Expect;

namespace TokenFunction.Tests.Infra;

/// <summary>Key Vault, the VideoSDK secrets and who may read them.</summary>
public static class VaultRules
{
    public static readonly InfraRule KeyVaultUsesRbacOnly = new(nameof(KeyVaultUsesRbacOnly), d =>
        Each(d, ResourceTypes.KeyVault, vault => Value(vault, "properties.enableRbacAuthorization", true)
            .Concat(That(vault.At("properties.accessPolicies") is null or JsonArray { Count: 0 }, $"{vault.Name()} has access policies"))));

    public static readonly InfraRule KeyVaultSoftDeleteOn = new(nameof(KeyVaultSoftDeleteOn), d =>
        Each(d, ResourceTypes.KeyVault, vault => Value(vault, "properties.enableSoftDelete", true)));

    public static readonly InfraRule KeyVaultPurgeProtectionOn = new(nameof(KeyVaultPurgeProtectionOn), d =>
        Each(d, ResourceTypes.KeyVault, vault => Value(vault, "properties.enablePurgeProtection", true)));

    /// <summary>Every log category (AuditEvent among them) and every metric of the vault go to the deployment's workspace.</summary>
    public static readonly InfraRule KeyVaultLogsAndMetricsGoToLogAnalytics = new(nameof(KeyVaultLogsAndMetricsGoToLogAnalytics), d =>
        Each(d, ResourceTypes.KeyVault, vault => AllLogsAndMetricsGoToTheWorkspace(d, vault.Id(), vault.Name(), "AllMetrics")));

    /// <summary>
    /// Secrets never travel through deployment: no secure parameter anywhere (main or module), no VideoSDK
    /// credential parameter, no secret resource. The hooks write the credentials straight into the vault.
    /// </summary>
    public static readonly InfraRule NoSecretTravelsThroughDeployment = new(nameof(NoSecretTravelsThroughDeployment), d =>
        d.AllParameters().Where(parameter => parameter.Parameter.Text("type") is "securestring" or "secureObject")
                .Select(parameter => $"{parameter.Path} has the secure parameter {parameter.Name}")
            .Concat(d.AllParameters().Where(parameter => parameter.Name.StartsWith("videoSdkApi", StringComparison.OrdinalIgnoreCase))
                .Select(parameter => $"{parameter.Path} takes the credential {parameter.Name} as a parameter"))
            .Concat(d.OfType(ResourceTypes.Secret).Select(secret => $"the deployment writes the secret {secret.Name()}")));

    /// <summary>
    /// The app's identity may read secrets on its own vault, granted on the vault and unconditionally, so it can
    /// read credentials set at any time by any means; no Secrets User grant anywhere else.
    /// </summary>
    public static readonly InfraRule AppReadsSecretsOnItsOwnVault = new(nameof(AppReadsSecretsOnItsOwnVault), d =>
        Each(d, ResourceTypes.KeyVault, vault =>
        {
            var onVault = RoleAssignmentsOn(d, vault.Id(), RoleDefinitions.KeyVaultSecretsUser).ToList();
            return AppIdentityHasRoleOn(d, vault, RoleDefinitions.KeyVaultSecretsUser, "Key Vault Secrets User")
                .Concat(onVault.Where(assignment => assignment["condition"] is not null)
                    .Select(assignment => $"the Secrets User grant on {vault.Name()} is conditional: {assignment["condition"]}"))
                .Concat(RoleAssignmentsOf(d, RoleDefinitions.KeyVaultSecretsUser).Except(onVault)
                    .Select(assignment => $"Key Vault Secrets User granted elsewhere than the app's vault: {assignment.Id()}"));
        }));
}
