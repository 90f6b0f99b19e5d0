using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static TokenFunction.Tests.Infra.Expect;

namespace TokenFunction.Tests.Infra;

/// <summary>
/// The shared rate limit's Azure Managed Redis (infra/app/redis.bicep): deployed exactly when the deployment asks for
/// it, reached with TLS and the app's identity only (no access key exists), privately exactly when the network is
/// isolated. Facts of the resource types checked with the Bicep CLI: access keys and the client protocol are
/// properties of the database, the minimum TLS version and public network access of the cluster, and an access
/// policy assignment's name allows only letters and digits.
/// </summary>
public static partial class RedisRules
{
    public const string SettingsPrefix = "RateLimit__Redis__";
    public const string KeySecretOutput = "RATE_LIMIT_KEY_SECRET_NAME";
    private const string Host = SettingsPrefix + "Host";
    private const string Port = SettingsPrefix + "Port";
    private const string UseTls = SettingsPrefix + "UseTls";
    private const string Authentication = SettingsPrefix + "Authentication";
    private const string KeySecret = SettingsPrefix + "KeySecret";

    // Microsoft's Private Link article for Azure Managed Redis (articles/redis/private-link.md of
    // MicrosoftDocs/azure-docs at f80b434, page dated 2025-05-18): the zone and the sub-resource of the endpoint.
    // Azure Cache for Redis's privatelink.redis.cache.windows.net is a real zone too, and resolves nothing here.
    private const string PrivateDnsZone = "privatelink.redis.azure.net";
    private const string PrivateLinkGroup = "redisEnterprise";

    /// <summary>
    /// With GLOBAL_RATE_LIMIT: one cache, one database, the app's five RateLimit:Redis settings with the host taken from
    /// that cache, and the key's secret name for the hook. Without it: nothing of it, so nobody pays for a cache they did
    /// not ask for.
    /// </summary>
    public static readonly InfraRule ManagedRedisExactlyWithGlobalRateLimit = new(nameof(ManagedRedisExactlyWithGlobalRateLimit), d =>
    {
        var cacheResources = d.Resources.Where(resource => resource.Text("type")!.StartsWith("Microsoft.Cache/", StringComparison.OrdinalIgnoreCase)).ToList();
        var settings = d.AppSettings.Where(setting => setting.Key.StartsWith(SettingsPrefix, StringComparison.Ordinal)).ToDictionary();
        var keySecretName = KeySecretName(d);
        if (!d.GlobalRateLimitAsked)
        {
            return cacheResources.Select(resource => $"{resource.Text("type")} {resource.Name()} is deployed without GLOBAL_RATE_LIMIT")
                .Concat(settings.Keys.Select(name => $"app setting {name} is set without GLOBAL_RATE_LIMIT"))
                .Concat(That(keySecretName.Length == 0, $"{KeySecretOutput} is '{keySecretName}' without GLOBAL_RATE_LIMIT: the hook would write a key nobody reads"));
        }
        var clusters = d.OfType(ResourceTypes.RedisCluster).ToList();
        var databases = d.OfType(ResourceTypes.RedisDatabase).ToList();
        if (clusters.Count != 1 || databases.Count != 1)
        {
            return [$"GLOBAL_RATE_LIMIT deploys {clusters.Count} Azure Managed Redis cluster(s) and {databases.Count} database(s), not one of each"];
        }
        var host = settings.GetValueOrDefault(Host, "");
        return new[] { Host, Port, UseTls, Authentication, KeySecret }.Except(settings.Keys).Select(name => $"app setting {name} is missing with GLOBAL_RATE_LIMIT")
            .Concat(That(host.StartsWith($"[reference('{clusters[0].Id()}', ", StringComparison.Ordinal) && host.EndsWith(").hostName]", StringComparison.Ordinal),
                $"{Host} is not the cache's host name: {host}"))
            .Concat(That(keySecretName.Length > 0, $"{KeySecretOutput} is empty with GLOBAL_RATE_LIMIT: the hook would write no key"));
    });

    /// <summary>Microsoft Entra tokens are the only way in: the database has no access keys to leak.</summary>
    public static readonly InfraRule ManagedRedisAcceptsNoAccessKeys = new(nameof(ManagedRedisAcceptsNoAccessKeys), d =>
        d.OfType(ResourceTypes.RedisDatabase).SelectMany(database => Value(database, "properties.accessKeysAuthentication", "Disabled")));

    /// <summary>The cache speaks TLS 1.2 or later only, and the app connects to that port with TLS.</summary>
    public static readonly InfraRule ManagedRedisSpeaksTlsOnly = new(nameof(ManagedRedisSpeaksTlsOnly), d =>
        d.OfType(ResourceTypes.RedisCluster).SelectMany(cluster => Value(cluster, "properties.minimumTlsVersion", "1.2"))
            .Concat(d.OfType(ResourceTypes.RedisDatabase).SelectMany(database => Value(database, "properties.clientProtocol", "Encrypted")
                .Concat(That(d.AppSettings.GetValueOrDefault(UseTls) == "True", $"{UseTls} is '{d.AppSettings.GetValueOrDefault(UseTls)}', not True"))
                .Concat(That(d.AppSettings.GetValueOrDefault(Port) == database.At("properties.port")?.ToJsonString(),
                    $"{Port} is '{d.AppSettings.GetValueOrDefault(Port)}', not the database's port {database.At("properties.port")?.ToJsonString()}")))));

    /// <summary>
    /// One access policy assignment per database, of the built-in 'default' policy, to the app's user-assigned identity
    /// by its object id (the user name the app's Entra token carries), under a name Azure accepts; the app signs in
    /// with Entra.
    /// </summary>
    public static readonly InfraRule ManagedRedisAdmitsTheAppIdentity = new(nameof(ManagedRedisAdmitsTheAppIdentity), d =>
        d.OfType(ResourceTypes.RedisDatabase).SelectMany(database =>
        {
            var assignments = d.OfType(ResourceTypes.RedisAccessPolicyAssignment)
                .Where(assignment => assignment.Name().StartsWith($"{database.Name()}/", StringComparison.Ordinal)).ToList();
            if (assignments.Count != 1)
            {
                return [$"{database.Name()} has {assignments.Count} access policy assignments, not one for the app's identity"];
            }
            var assignment = assignments[0];
            return Value(assignment, "properties.accessPolicyName", "default")
                .Concat(That(IsAppIdentityProperty(d, assignment.Text("properties.user.objectId"), "principalId"),
                    $"{assignment.Name()} admits {assignment.Text("properties.user.objectId")}, not the app's identity's object id"))
                .Concat(That(AssignmentName().IsMatch(assignment.Name().Split('/')[^1]), $"{assignment.Name()}: the name must match {AssignmentName()}"))
                .Concat(That(d.AppSettings.GetValueOrDefault(Authentication) == "EntraId",
                    $"{Authentication} is '{d.AppSettings.GetValueOrDefault(Authentication)}', not EntraId"));
        }));

    /// <summary>
    /// Isolated: public access off, one private endpoint to the cache resolving through privatelink.redis.azure.net linked
    /// to the VNet. Public: public access on (Entra only, above) and no endpoint.
    /// </summary>
    public static readonly InfraRule ManagedRedisPrivateExactlyWhenIsolated = new(nameof(ManagedRedisPrivateExactlyWhenIsolated), d =>
        d.OfType(ResourceTypes.RedisCluster).SelectMany(cluster =>
        {
            var isolated = NetworkRules.IsIsolated(d);
            var endpoints = d.OfType(ResourceTypes.PrivateEndpoint)
                .Where(endpoint => endpoint.Text("properties.privateLinkServiceConnections.0.properties.privateLinkServiceId") == cluster.Id()).ToList();
            var access = Value(cluster, "properties.publicNetworkAccess", isolated ? "Disabled" : "Enabled");
            if (!isolated)
            {
                return access.Concat(endpoints.Select(endpoint => $"{endpoint.Name()} is a private endpoint to {cluster.Name()} without network isolation"));
            }
            if (endpoints.Count != 1)
            {
                return access.Append($"{cluster.Name()} has {endpoints.Count} private endpoints with network isolation, not one");
            }
            var endpoint = endpoints[0];
            var zoneIds = d.OfType(ResourceTypes.PrivateDnsZoneGroup)
                .Where(group => group.Name().StartsWith($"{endpoint.Name()}/", StringComparison.Ordinal))
                .SelectMany(group => group.At("properties.privateDnsZoneConfigs") as JsonArray ?? [])
                .Select(config => config!.Text("properties.privateDnsZoneId")).ToList();
            var zone = d.OfType(ResourceTypes.PrivateDnsZone).FirstOrDefault(zone => zoneIds.Contains(zone.Id()));
            var networks = d.OfType(ResourceTypes.VirtualNetwork).Select(network => network.Id()).ToList();
            var linked = zone is not null && d.OfType(ResourceTypes.PrivateDnsZoneLink).Any(link =>
                link.Name().StartsWith($"{zone.Name()}/", StringComparison.Ordinal) && networks.Contains(link.Text("properties.virtualNetwork.id") ?? ""));
            return access
                .Concat(Value(endpoint, "properties.privateLinkServiceConnections.0.properties.groupIds", new JsonArray(PrivateLinkGroup)))
                .Concat(That(zoneIds.Count == 1 && zone?.Name() == PrivateDnsZone,
                    $"{endpoint.Name()} resolves through [{string.Join(", ", zoneIds)}], not the deployment's {PrivateDnsZone} zone"))
                .Concat(That(linked, $"{endpoint.Name()}'s zone is not linked to the VNet"));
        }));

    /// <summary>
    /// The bucket-name key is never in the template: the app setting is a Key Vault reference to the deployment's vault,
    /// to the secret the postprovision hook writes (the name it reads from the output), resolved as the app's identity
    /// (which the vault grants Secrets User).
    /// </summary>
    public static readonly InfraRule RateLimitKeyComesFromTheVault = new(nameof(RateLimitKeyComesFromTheVault), d =>
        Each(d, ResourceTypes.Site, site => That(d.AppIdentity is { } identity
                && string.Equals(site.Text("properties.keyVaultReferenceIdentity"), identity.Id(), StringComparison.OrdinalIgnoreCase),
            $"{site.Name()} resolves Key Vault references as {site.Text("properties.keyVaultReferenceIdentity") ?? "its system-assigned identity"}, not the app's user-assigned identity"))
            .Concat(d.AppSettings.TryGetValue(KeySecret, out var reference)
                ? That(d.OfType(ResourceTypes.KeyVault).SingleOrDefault() is { } vault
                        && reference.StartsWith($"[format('@Microsoft.KeyVault(SecretUri={{0}}secrets/{{1}})', reference('{vault.Id()}', ", StringComparison.Ordinal)
                        && reference.EndsWith($").vaultUri, '{KeySecretName(d)}')]", StringComparison.Ordinal),
                    $"{KeySecret} is not a Key Vault reference to the secret {KeySecretOutput} names in the deployment's vault: {reference}")
                : []));

    private static string KeySecretName(ArmDeployment deployment) =>
        deployment.Outputs[KeySecretOutput] is JsonValue value ? value.GetValue<string>() : "";

    [GeneratedRegex("^[A-Za-z0-9]{1,60}$")]
    private static partial Regex AssignmentName();
}
