using static TokenFunction.Tests.Infra.Expect;

namespace TokenFunction.Tests.Infra;

/// <summary>Application Insights and Log Analytics, with telemetry sent under the app's identity.</summary>
public static class MonitoringRules
{
    public static readonly InfraRule AppInsightsIsWorkspaceBased = new(nameof(AppInsightsIsWorkspaceBased), d =>
        Each(d, ResourceTypes.AppInsights, insights =>
        {
            var workspaceIds = d.OfType(ResourceTypes.LogAnalytics).Select(workspace => workspace.Id());
            return That(workspaceIds.Contains(insights.Text("properties.WorkspaceResourceId"), StringComparer.OrdinalIgnoreCase),
                $"{insights.Name()} is not bound to the deployment's Log Analytics workspace");
        }));

    /// <summary>No workspace keys: queries and ingestion only with Entra identities.</summary>
    public static readonly InfraRule LogAnalyticsLocalAuthDisabled = new(nameof(LogAnalyticsLocalAuthDisabled), d =>
        Each(d, ResourceTypes.LogAnalytics, workspace => Value(workspace, "properties.features.disableLocalAuth", true)));

    public static readonly InfraRule AppInsightsLocalAuthDisabled = new(nameof(AppInsightsLocalAuthDisabled), d =>
        Each(d, ResourceTypes.AppInsights, insights => Value(insights, "properties.DisableLocalAuth", true)));

    /// <summary>
    /// With local auth off, telemetry arrives only if the app authenticates as itself and holds the role (which
    /// identity it authenticates as: IdentityRules.AppSettingsNameTheUserAssignedIdentity).
    /// </summary>
    public static readonly InfraRule TelemetrySentWithAppIdentity = new(nameof(TelemetrySentWithAppIdentity), d =>
        That((d.AppSettings.GetValueOrDefault("APPLICATIONINSIGHTS_AUTHENTICATION_STRING") ?? "").Contains("Authorization=AAD", StringComparison.Ordinal),
                "APPLICATIONINSIGHTS_AUTHENTICATION_STRING does not ask for Entra authentication (Authorization=AAD)")
            .Concat(Each(d, ResourceTypes.AppInsights, insights =>
                AppIdentityHasRoleOn(d, insights, RoleDefinitions.MonitoringMetricsPublisher, "Monitoring Metrics Publisher"))));

    public static readonly InfraRule LogRetentionIsAParameter = new(nameof(LogRetentionIsAParameter), d =>
        That(d.MainExpression($"monitoring{ArmDeployment.PathSeparator}{ResourceTypes.LogAnalytics}", "properties.retentionInDays") == "[parameters('logRetentionInDays')]",
            "Log Analytics retention does not come from main.bicep's parameter logRetentionInDays"));
}
