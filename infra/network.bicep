// Optional private network: a VNet whose app subnet Flex Consumption joins, and private endpoints with
// private DNS zones for the vault, blob storage and, with the shared rate limit, Azure Managed Redis. Flex
// Consumption VNet integration runs on Container Apps infrastructure: the subscription must have the
// Microsoft.App resource provider registered (az provider register --namespace Microsoft.App), or the app's
// deployment fails.

param location string
param tags object
param name string
param resourceToken string
param privateEndpointPrefix string
param keyVaultName string
param storageName string

@description('The shared rate limit\'s Azure Managed Redis cluster, or empty when there is none.')
param redisName string

resource keyVault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageName
}

resource redis 'Microsoft.Cache/redisEnterprise@2025-07-01' existing = if (!empty(redisName)) {
  name: redisName
}

resource virtualNetwork 'Microsoft.Network/virtualNetworks@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: ['10.0.0.0/16'] }
    subnets: [
      {
        name: 'snet-app'
        properties: {
          addressPrefix: '10.0.0.0/24'
          // Flex Consumption integrates through a subnet delegated to Container Apps environments.
          delegations: [
            { name: 'flex-consumption', properties: { serviceName: 'Microsoft.App/environments' } }
          ]
        }
      }
      {
        name: 'snet-private-endpoints'
        properties: {
          addressPrefix: '10.0.1.0/24'
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }

  resource appSubnet 'subnets' existing = {
    name: 'snet-app'
  }

  resource privateEndpointSubnet 'subnets' existing = {
    name: 'snet-private-endpoints'
  }
}

// One entry per private endpoint; zone names come from the cloud's own suffixes (sovereign clouds too), except
// Azure Managed Redis's, which environment() does not know: privatelink.redis.azure.net, the zone Microsoft's
// Private Link article for Azure Managed Redis names (articles/redis/private-link.md of MicrosoftDocs/azure-docs at
// f80b434, page dated 2025-05-18, read 2026-12-08: clients keep connecting to <name>.<region>.redis.azure.net:10000),
// with the sub-resource redisEnterprise.
var privateLinks = concat(
  [
    {
      name: 'kv'
      groupId: 'vault'
      target: keyVault.id
      zone: 'privatelink${replace(environment().suffixes.keyvaultDns, 'vault', 'vaultcore')}'
    }
    {
      name: 'blob'
      groupId: 'blob'
      target: storage.id
      zone: 'privatelink.blob.${environment().suffixes.storage}'
    }
  ],
  empty(redisName)
    ? []
    : [
        {
          name: 'redis'
          groupId: 'redisEnterprise'
          target: redis.id
          zone: 'privatelink.redis.azure.net'
        }
      ]
)

resource privateDnsZones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for link in privateLinks: {
    name: link.zone
    location: 'global'
    tags: tags
  }
]

resource privateDnsZoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (link, i) in privateLinks: {
    parent: privateDnsZones[i]
    name: 'link-${name}'
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: { id: virtualNetwork.id }
    }
  }
]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2025-05-01' = [
  for link in privateLinks: {
    name: '${privateEndpointPrefix}${link.name}-${resourceToken}'
    location: location
    tags: tags
    properties: {
      subnet: { id: virtualNetwork::privateEndpointSubnet.id }
      privateLinkServiceConnections: [
        {
          name: '${privateEndpointPrefix}${link.name}-${resourceToken}'
          properties: {
            privateLinkServiceId: link.target
            groupIds: [link.groupId]
          }
        }
      ]
    }
  }
]

resource privateDnsZoneGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2025-05-01' = [
  for (link, i) in privateLinks: {
    parent: privateEndpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [
        { name: link.name, properties: { privateDnsZoneId: privateDnsZones[i].id } }
      ]
    }
  }
]

output appSubnetId string = virtualNetwork::appSubnet.id
