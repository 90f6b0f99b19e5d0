using System.Text.Json.Nodes;
using static TokenFunction.Tests.Infra.Expect;

namespace TokenFunction.Tests.Infra;

/// <summary>The function app, its plan and its hardening.</summary>
public static class SiteRules
{
    // Flex Consumption takes runtime and storage from functionAppConfig and refuses these settings.
    private static readonly string[] FlexDeprecatedSettings =
    [
        "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_WORKER_RUNTIME_VERSION",
        "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        "WEBSITE_NODE_DEFAULT_VERSION", "SCALE_CONTROLLER_LOGGING_ENABLED",
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
                    ("properties.functionAppConfig.deployment.storage.authentication.type", "SystemAssignedIdentity"))
                .Concat(That(containers.Any(name => packageUrl.Contains($"'{name}'", StringComparison.Ordinal) || packageUrl.EndsWith(name, StringComparison.Ordinal)),
                    $"deployment package location {packageUrl} is not a container of the deployment's storage account"));
        }));

    public static readonly InfraRule ScaleSettingsComeFromParameters = new(nameof(ScaleSettingsComeFromParameters), d =>
        new[] { "instanceMemoryMB", "maximumInstanceCount" }
            .Where(name => d.MainExpression(FunctionAppPath, $"properties.functionAppConfig.scaleAndConcurrency.{name}") != $"[parameters('{name}')]")
            .Select(name => $"scaleAndConcurrency.{name} does not come from main.bicep's parameter {name}"));

    /// <summary>Where main.bicep declares the site: the resource functionApp of the module functionApp.</summary>
    public const string FunctionAppPath = "functionApp > functionApp";

    public static readonly InfraRule SystemAssignedIdentity = new(nameof(SystemAssignedIdentity), d =>
        Each(d, ResourceTypes.Site, site => Value(site, "identity.type", "SystemAssigned")));

    public static readonly InfraRule HttpsOnly = new(nameof(HttpsOnly), d =>
        Each(d, ResourceTypes.Site, site => Value(site, "properties.httpsOnly", true)));

    public static readonly InfraRule MinimumTls12 = new(nameof(MinimumTls12), d =>
        Each(d, ResourceTypes.Site, site => Values(site,
            ("properties.siteConfig.minTlsVersion", "1.2"), ("properties.siteConfig.scmMinTlsVersion", "1.2"))));

    public static readonly InfraRule FtpsDisabled = new(nameof(FtpsDisabled), d =>
        Each(d, ResourceTypes.Site, site => Value(site, "properties.siteConfig.ftpsState", "Disabled")));

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

    public static readonly InfraRule NoFlexDeprecatedAppSettings = new(nameof(NoFlexDeprecatedAppSettings), d =>
        FlexDeprecatedSettings.Where(d.AppSettings.ContainsKey).Select(name => $"app setting {name} is not supported on Flex Consumption")
            .Concat(Each(d, ResourceTypes.Site, site => That(site.At("properties.siteConfig.linuxFxVersion") is null,
                "linuxFxVersion is set; Flex Consumption takes the runtime from functionAppConfig"))));
}
