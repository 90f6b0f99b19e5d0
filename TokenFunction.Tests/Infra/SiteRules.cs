using System.Text.Json.Nodes;
using static TokenFunction.Tests.Infra.Expect;

namespace TokenFunction.Tests.Infra;

/// <summary>The function app, its plan and its hardening.</summary>
public static class SiteRules
{
    // Microsoft's "Flex Consumption plan deprecations" table, whole, as read on 2026-12-07 (page dated 2025-12-22):
    // https://learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations
    // (found through the search tool in a current copy of MicrosoftDocs/azure-docs,
    // articles/azure-functions/functions-app-settings.md). "These site properties and application settings are
    // deprecated and shouldn't be used when creating function app resources":
    //
    // | Setting/property                              | Reason                                                                  |
    // | ENABLE_ORYX_BUILD                             | Replaced by the remoteBuild parameter when deploying in Flex Consumption |
    // | FUNCTIONS_EXTENSION_VERSION                   | App Setting is set by the backend. A value of ~1 can be ignored.        |
    // | FUNCTIONS_WORKER_RUNTIME                      | Replaced by name in properties.functionAppConfig.runtime                |
    // | FUNCTIONS_WORKER_RUNTIME_VERSION              | Replaced by version in properties.functionAppConfig.runtime             |
    // | FUNCTIONS_MAX_HTTP_CONCURRENCY                | Replaced by scale and concurrency's trigger section                     |
    // | FUNCTIONS_WORKER_PROCESS_COUNT                | Setting not valid                                                       |
    // | FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED  | Setting not valid                                                       |
    // | SCM_DO_BUILD_DURING_DEPLOYMENT                | Replaced by the remoteBuild parameter when deploying in Flex Consumption |
    // | WEBSITE_CONTENTAZUREFILECONNECTIONSTRING      | Replaced by functionAppConfig's deployment section                      |
    // | WEBSITE_CONTENTOVERVNET                       | Not used for networking in Flex Consumption                             |
    // | WEBSITE_CONTENTSHARE                          | Replaced by functionAppConfig's deployment section                      |
    // | WEBSITE_DNS_SERVER                            | DNS is inherited from the integrated virtual network in Flex            |
    // | WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT     | Replaced by maximumInstanceCount in properties.functionAppConfig.scaleAndConcurrency |
    // | WEBSITE_NODE_DEFAULT_VERSION                  | Replaced by version in properties.functionAppConfig.runtime             |
    // | WEBSITE_RUN_FROM_PACKAGE                      | Not used for deployments in Flex Consumption                            |
    // | WEBSITE_SKIP_CONTENTSHARE_VALIDATION          | Content share isn't used in Flex Consumption                            |
    // | WEBSITE_VNET_ROUTE_ALL                        | Not used for networking in Flex Consumption                             |
    // | properties.alwaysOn                           | Not valid                                                               |
    // | properties.containerSize                      | Renamed as instanceMemoryMB                                             |
    // | properties.dnsConfiguration                   | Custom DNS servers configured in the Azure Virtual Network are automatically used |
    // | properties.ftpsState                          | FTPS not supported                                                      |
    // | properties.isReserved                         | Not valid                                                               |
    // | properties.IsXenon                            | Not valid                                                               |
    // | properties.javaVersion                        | Replaced by version in properties.functionAppConfig.runtime             |
    // | properties.LinuxFxVersion                     | Replaced by properties.functionAppConfig.runtime                        |
    // | properties.netFrameworkVersion                | Replaced by version in properties.functionAppConfig.runtime             |
    // | properties.powerShellVersion                  | Replaced by version in properties.functionAppConfig.runtime             |
    // | properties.siteConfig.functionAppScaleLimit   | Renamed as maximumInstanceCount                                         |
    // | properties.siteConfig.preWarmedInstanceCount  | Renamed as alwaysReadyInstances                                         |
    // | properties.use32BitWorkerProcess              | 32-bit not supported                                                    |
    // | properties.vnetBackupRestoreEnabled           | Not used for networking in Flex Consumption                             |
    // | properties.vnetContentShareEnabled            | Not used for networking in Flex Consumption                             |
    // | properties.vnetImagePullEnabled               | Not used for networking in Flex Consumption                             |
    // | properties.vnetRouteAllEnabled                | Not used for networking in Flex Consumption                             |
    // | properties.windowsFxVersion                   | Not valid                                                               |
    //
    // The table writes "properties.X" for names ARM keeps in properties.siteConfig (ftpsState, alwaysOn, ...):
    // ARM error 51021 names them Site.SiteConfig.FtpsState. So each property name is refused in both places,
    // whatever its case; isReserved is also refused under its ARM spelling, reserved. The rule reads sites and
    // their config resources only: the plan legitimately sets reserved (Linux).
    private static readonly string[] FlexDeprecatedAppSettings =
    [
        "ENABLE_ORYX_BUILD", "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_WORKER_RUNTIME_VERSION",
        "FUNCTIONS_MAX_HTTP_CONCURRENCY", "FUNCTIONS_WORKER_PROCESS_COUNT", "FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED",
        "SCM_DO_BUILD_DURING_DEPLOYMENT", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTOVERVNET", "WEBSITE_CONTENTSHARE",
        "WEBSITE_DNS_SERVER", "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT", "WEBSITE_NODE_DEFAULT_VERSION", "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_SKIP_CONTENTSHARE_VALIDATION", "WEBSITE_VNET_ROUTE_ALL",
    ];

    private static readonly string[] FlexDeprecatedSiteProperties =
    [
        "alwaysOn", "containerSize", "dnsConfiguration", "ftpsState", "isReserved", "reserved", "isXenon", "javaVersion",
        "linuxFxVersion", "netFrameworkVersion", "powerShellVersion", "functionAppScaleLimit", "preWarmedInstanceCount",
        "use32BitWorkerProcess", "vnetBackupRestoreEnabled", "vnetContentShareEnabled", "vnetImagePullEnabled",
        "vnetRouteAllEnabled", "windowsFxVersion",
    ];

    public static readonly InfraRule FlexConsumptionLinuxPlan = new(nameof(FlexConsumptionLinuxPlan), d =>
        Each(d, ResourceTypes.Plan, plan => Values(plan,
            ("sku.name", "FC1"), ("sku.tier", "FlexConsumption"), ("properties.reserved", true))));

    public static readonly InfraRule LinuxFunctionApp = new(nameof(LinuxFunctionApp), d =>
        Each(d, ResourceTypes.Site, site => Value(site, "kind", "functionapp,linux")));

    public static readonly InfraRule RuntimeIsDotnetIsolated10 = new(nameof(RuntimeIsDotnetIsolated10), d =>
        Each(d, ResourceTypes.Site, site => Values(site,
            ("properties.functionAppConfig.runtime.name", "dotnet-isolated"),
            ("properties.functionAppConfig.runtime.version", "10.0"))));

    public static readonly InfraRule DeploymentPackageReadWithManagedIdentity = new(nameof(DeploymentPackageReadWithManagedIdentity), d =>
        Each(d, ResourceTypes.Site, site =>
        {
            var containers = d.OfType(ResourceTypes.BlobContainer).Select(container => container.Name().Split('/')[^1]);
            var packageUrl = site.Text("properties.functionAppConfig.deployment.storage.value") ?? "";
            return Values(site,
                    ("properties.functionAppConfig.deployment.storage.type", "blobContainer"),
                    ("properties.functionAppConfig.deployment.storage.authentication.type", "UserAssignedIdentity"),
                    ("properties.functionAppConfig.deployment.storage.authentication.userAssignedIdentityResourceId", d.AppIdentity?.Id() ?? "(no user-assigned identity)"))
                .Concat(That(containers.Any(name => packageUrl.Contains($"'{name}'", StringComparison.Ordinal) || packageUrl.EndsWith(name, StringComparison.Ordinal)),
                    $"deployment package location {packageUrl} is not a container of the deployment's storage account"));
        }));

    public static readonly InfraRule ScaleSettingsComeFromParameters = new(nameof(ScaleSettingsComeFromParameters), d =>
        new[] { "instanceMemoryMB", "maximumInstanceCount" }
            .Where(name => d.MainExpression(FunctionAppPath, $"properties.functionAppConfig.scaleAndConcurrency.{name}") != $"[parameters('{name}')]")
            .Select(name => $"scaleAndConcurrency.{name} does not come from main.bicep's parameter {name}"));

    /// <summary>Where main.bicep declares the site: the resource functionApp of the module functionApp.</summary>
    public const string FunctionAppPath = "functionApp > functionApp";

    public static readonly InfraRule HttpsOnly = new(nameof(HttpsOnly), d =>
        Each(d, ResourceTypes.Site, site => Value(site, "properties.httpsOnly", true)));

    public static readonly InfraRule MinimumTls12 = new(nameof(MinimumTls12), d =>
        Each(d, ResourceTypes.Site, site => Values(site,
            ("properties.siteConfig.minTlsVersion", "1.2"), ("properties.siteConfig.scmMinTlsVersion", "1.2"))));

    public static readonly InfraRule BasicPublishingCredentialsDisabled = new(nameof(BasicPublishingCredentialsDisabled), d =>
    {
        var policies = d.OfType(ResourceTypes.PublishingCredentials).ToList();
        var channels = policies.Select(policy => policy.Name().Split('/')[^1]).Order().ToList();
        return That(channels.SequenceEqual(["ftp", "scm"]), $"publishing credential policies cover [{string.Join(", ", channels)}], expected [ftp, scm]")
            .Concat(policies.SelectMany(policy => Value(policy, "properties.allow", false)));
    });

    public static readonly InfraRule Http2Enabled = new(nameof(Http2Enabled), d =>
        Each(d, ResourceTypes.Site, site => Value(site, "properties.siteConfig.http20Enabled", true)));

    public static readonly InfraRule RemoteDebuggingOff = new(nameof(RemoteDebuggingOff), d =>
        Each(d, ResourceTypes.Site, site => Value(site, "properties.siteConfig.remoteDebuggingEnabled", false)));

    public static readonly InfraRule ClientAffinityOff = new(nameof(ClientAffinityOff), d =>
        Each(d, ResourceTypes.Site, site => Value(site, "properties.clientAffinityEnabled", false)));

    public static readonly InfraRule CorsAllowsNoWildcard = new(nameof(CorsAllowsNoWildcard), d =>
        Each(d, ResourceTypes.Site, site =>
        {
            var origins = site.At("properties.siteConfig.cors.allowedOrigins") as JsonArray;
            return That(origins is not null, "CORS allowed origins are not a list")
                .Concat(That(origins?.Any(origin => origin?.GetValue<string>().Contains('*', StringComparison.Ordinal) == true) != true,
                    $"CORS allows a wildcard origin: {origins?.ToJsonString()}"))
                .Concat(Value(site, "properties.siteConfig.cors.supportCredentials", false));
        }));

    /// <summary>No app setting of the Flex deprecations table, in the site's siteConfig or a config resource.</summary>
    public static readonly InfraRule NoFlexDeprecatedAppSettings = new(nameof(NoFlexDeprecatedAppSettings), d =>
        SiteAppSettingNames(d).Where(setting => FlexDeprecatedAppSettings.Contains(setting.Name, StringComparer.OrdinalIgnoreCase))
            .Select(setting => $"{setting.Resource}: app setting {setting.Name} is on Flex Consumption's deprecations table"));

    /// <summary>No site property of the Flex deprecations table, on the site, in its siteConfig or in a config resource.</summary>
    public static readonly InfraRule NoFlexDeprecatedSiteProperties = new(nameof(NoFlexDeprecatedSiteProperties), d =>
        d.OfType(ResourceTypes.Site).SelectMany(site => new[] { site.At("properties"), site.At("properties.siteConfig") }
                .Select(properties => (site.Name(), Properties: properties as JsonObject)))
            .Concat(d.OfType(ResourceTypes.SiteConfig).Select(config => (config.Name(), Properties: config.At("properties") as JsonObject)))
            .SelectMany(entry => (entry.Properties ?? []).Select(property => property.Key)
                .Where(name => FlexDeprecatedSiteProperties.Contains(name, StringComparer.OrdinalIgnoreCase))
                .Select(name => $"{entry.Item1}: {name} is on Flex Consumption's deprecations table")));

    private static IEnumerable<(string Resource, string Name)> SiteAppSettingNames(ArmDeployment d) =>
        d.OfType(ResourceTypes.Site).SelectMany(site => (site.At("properties.siteConfig.appSettings") as JsonArray ?? [])
                .Select(setting => (site.Name(), setting?.Text("name") ?? "")))
            .Concat(d.OfType(ResourceTypes.SiteConfig).Where(config => config.Name().EndsWith("/appsettings", StringComparison.OrdinalIgnoreCase))
                .SelectMany(config => (config.At("properties") as JsonObject ?? []).Select(setting => (config.Name(), setting.Key))));
}
