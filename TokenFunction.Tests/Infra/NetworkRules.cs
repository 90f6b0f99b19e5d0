using System.Text.Json.Nodes;
using static TokenFunction.Tests.Infra.Expect;

namespace TokenFunction.Tests.Infra;

/// <summary>
/// The optional private network. Each rule holds both ways: with no VNet everything stays public and no
/// network resource exists; with one, the vault and blob storage are reachable only through it.
/// </summary>
public static class NetworkRules
{
    private const string FlexSubnetDelegation = "Microsoft.App/environments";
    private const string NetworkModule = "network";

    public static readonly InfraRule PublicAccessOffExactlyWhenIsolated = new(nameof(PublicAccessOffExactlyWhenIsolated), d =>
    {
        var isolated = IsIsolated(d);
        return d.OfType(ResourceTypes.KeyVault).Concat(d.OfType(ResourceTypes.Storage)).SelectMany(resource => Values(resource,
            ("properties.publicNetworkAccess", isolated ? "Disabled" : "Enabled"),
            ("properties.networkAcls.defaultAction", isolated ? "Deny" : "Allow")));
    });

    public static readonly InfraRule AppJoinsTheDelegatedSubnetWhenIsolated = new(nameof(AppJoinsTheDelegatedSubnetWhenIsolated), d =>
        Each(d, ResourceTypes.Site, site =>
        {
            var subnetId = site.Text("properties.virtualNetworkSubnetId");
            // ARM orders by declared dependencies only; a subnet named by resourceId() carries none.
            var ordered = That((d.TemplateResource(SiteRules.FunctionAppPath.Split(ArmDeployment.PathSeparator)[0])["dependsOn"] as JsonArray ?? [])
                    .Any(dependency => dependency?.GetValue<string>() == NetworkModule),
                "the function app's module does not depend on the network module whose VNet it may join");
            if (!IsIsolated(d))
            {
                return That(subnetId is null, $"the app joins {subnetId} without network isolation").Concat(ordered);
            }
            var delegated = d.OfType(ResourceTypes.VirtualNetwork).SelectMany(network =>
                (network.At("properties.subnets") as JsonArray ?? [])
                    .Where(subnet => (subnet!.At("properties.delegations") as JsonArray ?? [])
                        .Any(delegation => delegation!.Text("properties.serviceName") == FlexSubnetDelegation))
                    .Select(subnet => $"{network.Id()}/subnets/{subnet!.Text("name")}"));
            return That(delegated.Contains(subnetId, StringComparer.OrdinalIgnoreCase),
                    $"the app's subnet {subnetId ?? "(none)"} is not delegated to {FlexSubnetDelegation}")
                .Concat(ordered);
        }));

    /// <summary>Each private endpoint resolves through a private DNS zone linked to the VNet.</summary>
    public static readonly InfraRule PrivateEndpointsForVaultAndBlobWhenIsolated = new(nameof(PrivateEndpointsForVaultAndBlobWhenIsolated), d =>
    {
        if (!IsIsolated(d))
        {
            return d.Resources.Where(resource => resource.Text("type")!.StartsWith("Microsoft.Network/", StringComparison.OrdinalIgnoreCase))
                .Select(resource => $"{resource.Text("type")} deployed without network isolation");
        }
        var targets = d.OfType(ResourceTypes.KeyVault).Select(vault => (vault.Id(), Group: "vault"))
            .Concat(d.OfType(ResourceTypes.Storage).Select(storage => (storage.Id(), Group: "blob")));
        var zones = d.OfType(ResourceTypes.PrivateDnsZone).Select(zone => zone.Id()).ToList();
        var networks = d.OfType(ResourceTypes.VirtualNetwork).Select(network => network.Id()).ToList();
        var linkedZones = d.OfType(ResourceTypes.PrivateDnsZoneLink)
            .Count(link => networks.Contains(link.Text("properties.virtualNetwork.id") ?? ""));
        return That(linkedZones == zones.Count, $"{zones.Count - linkedZones} private DNS zone(s) not linked to the VNet")
            .Concat(targets.SelectMany(target =>
            {
                var endpoint = d.OfType(ResourceTypes.PrivateEndpoint).FirstOrDefault(pe =>
                    pe.Text("properties.privateLinkServiceConnections.0.properties.privateLinkServiceId") == target.Item1);
                if (endpoint is null)
                {
                    return [$"no private endpoint for {target.Item1}"];
                }
                var zoneGroup = d.OfType(ResourceTypes.PrivateDnsZoneGroup)
                    .FirstOrDefault(group => group.Name().StartsWith($"{endpoint.Name()}/", StringComparison.Ordinal));
                var zoneIds = (zoneGroup?.At("properties.privateDnsZoneConfigs") as JsonArray ?? [])
                    .Select(config => config!.Text("properties.privateDnsZoneId") ?? "").ToList();
                return Value(endpoint, "properties.privateLinkServiceConnections.0.properties.groupIds", new JsonArray(target.Group))
                    .Concat(That(zoneIds.Count == 1 && zones.Contains(zoneIds[0]), $"{endpoint.Name()} resolves through no private DNS zone of the deployment"));
            }));
    });

    public static bool IsIsolated(ArmDeployment deployment) => deployment.OfType(ResourceTypes.VirtualNetwork).Any();
}
