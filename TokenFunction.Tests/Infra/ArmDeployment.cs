using System.Text.Json.Nodes;

namespace TokenFunction.Tests.Infra;

/// <summary>
/// What a deployment of infra/main.bicep consists of, as the Bicep CLI computes it offline: the compiled ARM
/// template, and the snapshot of predicted resources (the ARM engine's evaluation for one set of parameters,
/// with loops expanded and names, ids and conditions resolved where they do not depend on deployed state
/// or on secure parameters).
/// </summary>
public sealed class ArmDeployment(JsonObject template, JsonObject snapshot)
{
    public JsonObject Template { get; } = template;

    public IReadOnlyList<JsonObject> Resources { get; } =
        snapshot["predictedResources"]!.AsArray().Select(resource => resource!.AsObject()).ToList();

    public JsonObject Outputs { get; } = snapshot["outputs"]!.AsObject();

    public JsonArray Diagnostics { get; } = snapshot["diagnostics"]!.AsArray();

    public IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(resource => string.Equals(resource.Text("type"), type, StringComparison.OrdinalIgnoreCase));

    public JsonObject? FunctionApp => OfType(ResourceTypes.Site).SingleOrDefault();

    /// <summary>App setting name to value; values that depend on deployed resources stay ARM expressions.</summary>
    public IReadOnlyDictionary<string, string> AppSettings =>
        FunctionApp?.At("properties.siteConfig.appSettings")?.AsArray()
            .Select(setting => setting!)
            .ToDictionary(setting => setting.Text("name")!, setting => setting.Text("value") ?? "", StringComparer.Ordinal)
        ?? new Dictionary<string, string>();

    /// <summary>A resource of the compiled template by its Bicep symbolic name, expressions unevaluated.</summary>
    public JsonObject TemplateResource(string symbolicName) => Template.At($"resources.{symbolicName}")?.AsObject()
        ?? throw new KeyNotFoundException($"main.bicep has no resource '{symbolicName}'");

    public JsonObject TemplateParameter(string name) => Template.At($"parameters.{name}")?.AsObject()
        ?? throw new KeyNotFoundException($"main.bicep has no parameter '{name}'");
}

public static class ResourceTypes
{
    public const string Plan = "Microsoft.Web/serverfarms";
    public const string Site = "Microsoft.Web/sites";
    public const string PublishingCredentials = "Microsoft.Web/sites/basicPublishingCredentialsPolicies";
    public const string KeyVault = "Microsoft.KeyVault/vaults";
    public const string Secret = "Microsoft.KeyVault/vaults/secrets";
    public const string DiagnosticSettings = "Microsoft.Insights/diagnosticSettings";
    public const string AppInsights = "Microsoft.Insights/components";
    public const string LogAnalytics = "Microsoft.OperationalInsights/workspaces";
    public const string Storage = "Microsoft.Storage/storageAccounts";
    public const string BlobContainer = "Microsoft.Storage/storageAccounts/blobServices/containers";
    public const string RoleAssignment = "Microsoft.Authorization/roleAssignments";
    public const string VirtualNetwork = "Microsoft.Network/virtualNetworks";
    public const string PrivateEndpoint = "Microsoft.Network/privateEndpoints";
    public const string PrivateDnsZone = "Microsoft.Network/privateDnsZones";
    public const string PrivateDnsZoneLink = "Microsoft.Network/privateDnsZones/virtualNetworkLinks";
    public const string PrivateDnsZoneGroup = "Microsoft.Network/privateEndpoints/privateDnsZoneGroups";
}

public static class RoleDefinitions
{
    public const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    public const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    public const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
}

/// <summary>Dotted-path reading of ARM JSON ("properties.siteConfig.minTlsVersion", "subnets.0.name").</summary>
public static class ArmJson
{
    public static JsonNode? At(this JsonNode node, string path)
    {
        JsonNode? current = node;
        foreach (var segment in path.Split('.'))
        {
            current = current switch
            {
                JsonObject obj => obj.TryGetPropertyValue(segment, out var child) ? child : null,
                JsonArray array when int.TryParse(segment, out var index) && index < array.Count => array[index],
                _ => null,
            };
        }
        return current;
    }

    public static string? Text(this JsonNode node, string path) =>
        node.At(path) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static string Id(this JsonObject resource) => resource.Text("id") ?? "";

    public static string Name(this JsonObject resource) => resource.Text("name") ?? "";
}
