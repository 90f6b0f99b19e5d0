using System.Text.Json.Nodes;

namespace TokenFunction.Tests.Infra;

/// <summary>
/// What a deployment of infra/main.bicep consists of, as the Bicep CLI computes it offline: the compiled ARM
/// template, and the snapshot of predicted resources (the ARM engine's evaluation for one set of parameters,
/// with loops expanded and names, ids and conditions resolved where they do not depend on deployed state
/// or on secure parameters).
/// </summary>
/// <param name="globalRateLimit">Whether the scenario asked for the shared rate limit (GLOBAL_RATE_LIMIT or the
/// globalRateLimit parameter): the snapshot holds no parameter values, so the scenario says what it asked for.</param>
public sealed class ArmDeployment(JsonObject template, JsonObject snapshot, bool globalRateLimit = false)
{
    public JsonObject Template { get; } = template;

    public bool GlobalRateLimitAsked { get; } = globalRateLimit;

    public IReadOnlyList<JsonObject> Resources { get; } =
        snapshot["predictedResources"]!.AsArray().Select(resource => resource!.AsObject()).ToList();

    public JsonObject Outputs { get; } = snapshot["outputs"]!.AsObject();

    public JsonArray Diagnostics { get; } = snapshot["diagnostics"]!.AsArray();

    public IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(resource => string.Equals(resource.Text("type"), type, StringComparison.OrdinalIgnoreCase));

    public JsonObject? FunctionApp => OfType(ResourceTypes.Site).SingleOrDefault();

    /// <summary>The user-assigned identity the app runs as.</summary>
    public JsonObject? AppIdentity => OfType(ResourceTypes.UserAssignedIdentity).SingleOrDefault();

    /// <summary>App setting name to value; values that depend on deployed resources stay ARM expressions.</summary>
    public IReadOnlyDictionary<string, string> AppSettings =>
        FunctionApp?.At("properties.siteConfig.appSettings")?.AsArray()
            .Select(setting => setting!)
            .ToDictionary(setting => setting.Text("name")!, setting => setting.Text("value") ?? "", StringComparer.Ordinal)
        ?? new Dictionary<string, string>();

    /// <summary>
    /// A resource of the compiled template by its path through modules, segments joined by " > ": the Bicep
    /// symbolic name, or the resource type where Bicep compiled a module without symbolic names
    /// ("functionApp > functionApp", "monitoring > Microsoft.OperationalInsights/workspaces"), expressions unevaluated.
    /// </summary>
    public JsonObject TemplateResource(string path) => Walk(path).Resource;

    /// <summary>
    /// A property of a template resource as main.bicep sets it: a module's "[parameters('x')]" is followed up
    /// to the expression the parent passes for x, so a rule can say "comes from main.bicep's parameter".
    /// </summary>
    public string? MainExpression(string path, string propertyPath)
    {
        var (resource, modules) = Walk(path);
        var expression = resource.Text(propertyPath);
        for (var level = modules.Count - 1; level >= 0 && expression is not null && ParameterName(expression) is { } name; level--)
        {
            expression = modules[level].Text($"properties.parameters.{name}.value");
        }
        return expression;
    }

    /// <summary>Every resource of the template and its modules, with the symbolic-name path that reaches it.</summary>
    public IEnumerable<(string Path, JsonObject Resource)> TemplateResources() => ResourcesOf(Template, "");

    public JsonObject TemplateParameter(string name) => Template.At($"parameters.{name}")?.AsObject()
        ?? throw new KeyNotFoundException($"main.bicep has no parameter '{name}'");

    /// <summary>Parameters of main.bicep and of every module, for rules about what any deployment step accepts.</summary>
    public IEnumerable<(string Path, string Name, JsonObject Parameter)> AllParameters() =>
        ParametersOf(Template, "main").Concat(TemplateResources()
            .Where(entry => entry.Resource.Text("type") == ModuleType)
            .SelectMany(entry => ParametersOf(entry.Resource.At("properties.template")!.AsObject(), entry.Path)));

    private const string ModuleType = "Microsoft.Resources/deployments";

    private static IEnumerable<(string, string, JsonObject)> ParametersOf(JsonObject template, string path) =>
        (template["parameters"] as JsonObject ?? []).Select(parameter => (path, parameter.Key, parameter.Value!.AsObject()));

    public const string PathSeparator = " > ";

    private static IEnumerable<(string Path, JsonObject Resource)> ResourcesOf(JsonObject template, string prefix)
    {
        foreach (var (name, resource) in Named(template))
        {
            yield return (prefix + name, resource);
            if (resource.Text("type") == ModuleType && resource.At("properties.template") is JsonObject nested)
            {
                foreach (var inner in ResourcesOf(nested, prefix + name + PathSeparator))
                {
                    yield return inner;
                }
            }
        }
    }

    // languageVersion 2.0 templates key resources by symbolic name; others list them (then the type names them).
    private static IEnumerable<(string Name, JsonObject Resource)> Named(JsonObject template) => template["resources"] switch
    {
        JsonObject symbolic => symbolic.Select(entry => (entry.Key, entry.Value!.AsObject())),
        JsonArray list => list.Select(node => (node!.Text("type")!, node!.AsObject())),
        _ => [],
    };

    private (JsonObject Resource, List<JsonObject> Modules) Walk(string path)
    {
        var modules = new List<JsonObject>();
        var template = Template;
        var names = path.Split(PathSeparator);
        for (var i = 0; ; i++)
        {
            var matches = Named(template).Where(entry => entry.Name == names[i]).ToList();
            var resource = matches.Count == 1 ? matches[0].Resource
                : throw new KeyNotFoundException($"{matches.Count} resources '{names[i]}' on the way to '{path}'");
            if (i == names.Length - 1)
            {
                return (resource, modules);
            }
            modules.Add(resource);
            template = resource.At("properties.template")!.AsObject();
        }
    }

    private static string? ParameterName(string expression) =>
        expression.StartsWith("[parameters('", StringComparison.Ordinal) && expression.EndsWith("')]", StringComparison.Ordinal)
            ? expression["[parameters('".Length..^"')]".Length]
            : null;
}

public static class ResourceTypes
{
    public const string Plan = "Microsoft.Web/serverfarms";
    public const string Site = "Microsoft.Web/sites";
    public const string SiteConfig = "Microsoft.Web/sites/config";
    public const string UserAssignedIdentity = "Microsoft.ManagedIdentity/userAssignedIdentities";
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
    public const string RedisCluster = "Microsoft.Cache/redisEnterprise";
    public const string RedisDatabase = "Microsoft.Cache/redisEnterprise/databases";
    public const string RedisAccessPolicyAssignment = "Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments";
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
