using System.Reflection;
using System.Text.Json.Nodes;

namespace TokenFunction.Tests.Infra;

/// <summary>
/// A property the infrastructure promises, as a predicate over a deployment: the violations it finds (none
/// when the property holds). Rules must hold for every parameter set, so they are written to be true with and
/// without network isolation, and with and without the shared rate limit.
/// </summary>
public sealed record InfraRule(string Name, Func<ArmDeployment, IEnumerable<string>> Violations)
{
    public IReadOnlyList<string> Check(ArmDeployment deployment) => Violations(deployment).ToList();

    public override string ToString() => Name;

    /// <summary>Every rule declared as a static field of the rule classes.</summary>
    public static IReadOnlyList<InfraRule> All { get; } =
        new[] { typeof(SiteRules), typeof(IdentityRules), typeof(VaultRules), typeof(StorageRules), typeof(MonitoringRules), typeof(TemplateRules), typeof(NetworkRules), typeof(RedisRules) }
            .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(field => field.FieldType == typeof(InfraRule))
            .Select(field => (InfraRule)field.GetValue(null)!)
            .ToList();
}

/// <summary>Building blocks of rules; each returns violations, never throws on a missing property.</summary>
public static class Expect
{
    /// <summary>Checks each resource of the type; a missing resource is itself a violation.</summary>
    public static IEnumerable<string> Each(ArmDeployment deployment, string type, Func<JsonObject, IEnumerable<string>> check)
    {
        var resources = deployment.OfType(type).ToList();
        return resources.Count == 0 ? [$"no {type} in the deployment"] : resources.SelectMany(check);
    }

    public static IEnumerable<string> Value(JsonObject resource, string path, JsonNode expected)
    {
        var actual = resource.At(path);
        if (!JsonNode.DeepEquals(actual, expected))
        {
            yield return $"{resource.Name()}: {path} is {actual?.ToJsonString() ?? "missing"}, expected {expected.ToJsonString()}";
        }
    }

    public static IEnumerable<string> Values(JsonObject resource, params (string Path, JsonNode Expected)[] expectations) =>
        expectations.SelectMany(expectation => Value(resource, expectation.Path, expectation.Expected));

    public static IEnumerable<string> That(bool holds, string violation) => holds ? [] : [violation];

    /// <summary>
    /// A diagnostic setting on the resource sends the log category group allLogs and the metric category to the
    /// deployment's Log Analytics workspace.
    /// </summary>
    public static IEnumerable<string> AllLogsAndMetricsGoToTheWorkspace(ArmDeployment deployment, string resourceId, string resourceName, string metricCategory)
    {
        var workspaces = deployment.OfType(ResourceTypes.LogAnalytics).Select(workspace => workspace.Id()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        static bool Enabled(JsonNode? entry, string key, string value) =>
            entry is not null && entry.Text(key) == value && JsonNode.DeepEquals(entry.At("enabled"), true);
        var complete = deployment.OfType(ResourceTypes.DiagnosticSettings)
            .Where(setting => setting.Id().StartsWith($"{resourceId}/providers/", StringComparison.OrdinalIgnoreCase))
            .Where(setting => workspaces.Contains(setting.Text("properties.workspaceId") ?? ""))
            .Where(setting => (setting.At("properties.logs") as JsonArray ?? []).Any(log => Enabled(log, "categoryGroup", "allLogs")))
            .Where(setting => (setting.At("properties.metrics") as JsonArray ?? []).Any(metric => Enabled(metric, "category", metricCategory)));
        return That(complete.Any(), $"{resourceName} has no diagnostic setting sending allLogs and {metricCategory} to the Log Analytics workspace");
    }

    /// <summary>The role assignments of one role whose scope is exactly the given resource.</summary>
    public static IEnumerable<JsonObject> RoleAssignmentsOn(ArmDeployment deployment, string scopeId, string roleDefinitionGuid) =>
        RoleAssignmentsOf(deployment, roleDefinitionGuid)
            .Where(assignment => assignment.Id().StartsWith($"{scopeId}/providers/{ResourceTypes.RoleAssignment}/", StringComparison.OrdinalIgnoreCase));

    public static IEnumerable<JsonObject> RoleAssignmentsOf(ArmDeployment deployment, string roleDefinitionGuid) =>
        deployment.OfType(ResourceTypes.RoleAssignment)
            .Where(assignment => (assignment.Text("properties.roleDefinitionId") ?? "").EndsWith($"/{roleDefinitionGuid}", StringComparison.OrdinalIgnoreCase));

    /// <summary>One assignment of the role to the app's user-assigned identity, as a service principal, on the scope.</summary>
    public static IEnumerable<string> AppIdentityHasRoleOn(ArmDeployment deployment, JsonObject scope, string roleDefinitionGuid, string roleName)
    {
        var assignments = RoleAssignmentsOn(deployment, scope.Id(), roleDefinitionGuid).ToList();
        if (assignments.Count == 0)
        {
            return [$"no {roleName} role assignment scoped to {scope.Name()}"];
        }
        return assignments.SelectMany(assignment => Value(assignment, "properties.principalType", "ServicePrincipal")
            .Concat(That(IsAppIdentityProperty(deployment, assignment.Text("properties.principalId"), "principalId"),
                $"{roleName} on {scope.Name()} is not granted to the app's user-assigned identity")));
    }

    /// <summary>The expression is the app's user-assigned identity's principalId or clientId, read from the identity itself.</summary>
    public static bool IsAppIdentityProperty(ArmDeployment deployment, string? expression, string property) =>
        deployment.AppIdentity is { } identity && expression is not null
        && expression.StartsWith($"[reference('{identity.Id()}', ", StringComparison.OrdinalIgnoreCase)
        && expression.EndsWith($").{property}]", StringComparison.Ordinal);
}
