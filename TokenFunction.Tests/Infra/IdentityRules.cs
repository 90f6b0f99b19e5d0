using System.Text.Json.Nodes;
using static TokenFunction.Tests.Infra.Expect;

namespace TokenFunction.Tests.Infra;

/// <summary>
/// The app runs as one user-assigned identity, as the Flex Consumption azd quickstart does
/// (Azure-Samples/functions-quickstart-dotnet-azd, infra/app/api.bicep and infra/app/rbac.bicep at fe74255,
/// read 2026-12-07: identity type UserAssigned, AzureWebJobsStorage__clientId,
/// functionAppConfig.deployment.storage.authentication UserAssignedIdentity with its resource id,
/// APPLICATIONINSIGHTS_AUTHENTICATION_STRING "ClientId=...;Authorization=AAD", Storage Blob Data Owner and
/// Monitoring Metrics Publisher for that identity). The identity and its grants exist before the site.
/// </summary>
public static class IdentityRules
{
    private const string RbacModule = "rbac";

    /// <summary>The site runs as exactly the deployment's user-assigned identity, and has no system-assigned one.</summary>
    public static readonly InfraRule AppRunsAsItsUserAssignedIdentity = new(nameof(AppRunsAsItsUserAssignedIdentity), d =>
        Each(d, ResourceTypes.Site, site =>
        {
            var attached = (site.At("identity.userAssignedIdentities") as JsonObject ?? []).Select(identity => identity.Key).ToList();
            return Value(site, "identity.type", "UserAssigned")
                .Concat(That(d.AppIdentity is { } identity && attached.SequenceEqual([identity.Id()], StringComparer.OrdinalIgnoreCase),
                    $"{site.Name()} runs as [{string.Join(", ", attached)}], not the deployment's one user-assigned identity"));
        }));

    /// <summary>
    /// Every part that authenticates is told which identity to use: the host's storage, the worker's Key Vault
    /// client and telemetry exporter (KeyVault__ManagedIdentityClientId), and the host's telemetry.
    /// </summary>
    public static readonly InfraRule AppSettingsNameTheUserAssignedIdentity = new(nameof(AppSettingsNameTheUserAssignedIdentity), d =>
    {
        var settings = d.AppSettings;
        var authentication = settings.GetValueOrDefault("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "");
        const string AuthenticationFormat = "[format('ClientId={0};Authorization=AAD', ";
        return new[] { "AzureWebJobsStorage__clientId", "KeyVault__ManagedIdentityClientId" }
            .Where(name => !IsAppIdentityProperty(d, settings.GetValueOrDefault(name), "clientId"))
            .Select(name => $"app setting {name} is not the user-assigned identity's client id: {settings.GetValueOrDefault(name)}")
            .Concat(That(authentication.StartsWith(AuthenticationFormat, StringComparison.Ordinal)
                    && authentication.EndsWith(")]", StringComparison.Ordinal)
                    && IsAppIdentityProperty(d, $"[{authentication[AuthenticationFormat.Length..^2]}]", "clientId"),
                $"APPLICATIONINSIGHTS_AUTHENTICATION_STRING is not ClientId=<the identity's client id>;Authorization=AAD: {authentication}"));
    });

    /// <summary>ARM creates the site only after every role assignment: its first start finds its grants made.</summary>
    public static readonly InfraRule GrantsExistBeforeTheSite = new(nameof(GrantsExistBeforeTheSite), d =>
    {
        var siteModule = SiteRules.FunctionAppPath.Split(ArmDeployment.PathSeparator)[0];
        var dependencies = (d.TemplateResource(siteModule)["dependsOn"] as JsonArray ?? []).Select(node => node?.GetValue<string>());
        return That(dependencies.Contains(RbacModule), $"the module {siteModule} does not depend on the module {RbacModule}")
            .Concat(d.OfType(ResourceTypes.RoleAssignment)
                .Where(assignment => (assignment.Text("properties.principalId") ?? "").Contains(ResourceTypes.Site, StringComparison.OrdinalIgnoreCase))
                .Select(assignment => $"{assignment.Id()} grants to an identity that only exists with the site"));
    });
}
