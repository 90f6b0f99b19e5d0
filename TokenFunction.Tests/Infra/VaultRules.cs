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

    public static readonly InfraRule KeyVaultAuditEventsGoToLogAnalytics = new(nameof(KeyVaultAuditEventsGoToLogAnalytics), d =>
        Each(d, ResourceTypes.KeyVault, vault =>
        {
            var workspaces = d.OfType(ResourceTypes.LogAnalytics).Select(workspace => workspace.Id()).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var auditing = d.OfType(ResourceTypes.DiagnosticSettings)
                .Where(setting => setting.Id().StartsWith($"{vault.Id()}/providers/", StringComparison.OrdinalIgnoreCase))
                .Where(setting => workspaces.Contains(setting.Text("properties.workspaceId") ?? ""))
                .Where(setting => (setting.At("properties.logs") as JsonArray ?? []).Any(log =>
                    log is not null && log.Text("category") == "AuditEvent" && JsonNode.DeepEquals(log.At("enabled"), true)));
            return That(auditing.Any(), $"{vault.Name()} has no diagnostic setting sending AuditEvent to the Log Analytics workspace");
        }));

    /// <summary>A secret is written only from its @secure() parameter and only when that parameter is non-empty.</summary>
    public static readonly InfraRule SecretsComeOnlyFromGivenSecureParameters = new(nameof(SecretsComeOnlyFromGivenSecureParameters), d =>
        Each(d, ResourceTypes.Secret, secret =>
        {
            var parameter = ParameterOf(secret.Text("properties.value"));
            if (parameter is null)
            {
                return [$"{secret.Name()} takes its value from something other than a parameter"];
            }
            return That(d.TemplateParameter(parameter).Text("type") == "securestring", $"parameter {parameter} of {secret.Name()} is not @secure()")
                .Concat(Value(secret, "condition", $"[not(empty(parameters('{parameter}')))]"));
        }));

    /// <summary>
    /// Least privilege: the app may read exactly the VideoSDK secrets, each granted on the secret itself, never
    /// on the vault or wider; and a grant exists exactly when its secret does (same condition).
    /// </summary>
    public static readonly InfraRule SecretReadersScopedToEachSecret = new(nameof(SecretReadersScopedToEachSecret), d =>
    {
        var secrets = d.OfType(ResourceTypes.Secret).ToList();
        var perSecret = secrets.SelectMany(secret =>
            AppIdentityHasRoleOn(d, secret, RoleDefinitions.KeyVaultSecretsUser, "Key Vault Secrets User")
                .Concat(RoleAssignmentsOn(d, secret.Id(), RoleDefinitions.KeyVaultSecretsUser)
                    .SelectMany(assignment => That(JsonNode.DeepEquals(assignment["condition"], secret["condition"]),
                        $"the grant on {secret.Name()} is not conditioned like the secret itself"))));
        var wider = RoleAssignmentsOf(d, RoleDefinitions.KeyVaultSecretsUser)
            .Where(assignment => !secrets.Any(secret => assignment.Id().StartsWith($"{secret.Id()}/providers/", StringComparison.OrdinalIgnoreCase)))
            .Select(assignment => $"Key Vault Secrets User granted wider than one secret: {assignment.Id()}");
        return That(secrets.Count > 0, "no Key Vault secret resources").Concat(perSecret).Concat(wider);
    });

    private static string? ParameterOf(string? expression) =>
        expression is not null && expression.StartsWith("[parameters('", StringComparison.Ordinal) && expression.EndsWith("')]", StringComparison.Ordinal)
            ? expression["[parameters('".Length..^"')]".Length]
            : null;
}
