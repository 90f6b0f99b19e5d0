// Azure Managed Redis for the shared rate limit (main.bicep's globalRateLimit): one cache every instance of the app
// draws its callers' buckets from, reached with the app's user-assigned identity and never with an access key.
//
// Size: Balanced_B0, the smallest size there is (0.5 GB, 15,000 client connections: Microsoft's Azure Managed Redis
// overview, articles/redis/overview.md of MicrosoftDocs/azure-docs at af9a3fa, page dated 2025-05-18, read
// 2026-12-08). A bucket is one small hash per active caller that expires when idle, so 0.5 GB holds millions of
// callers, and each Flex Consumption instance keeps one connection (at most maximumInstanceCount, 1000).
// High availability off: it doubles the price (two nodes), and the app already survives the cache's absence by
// falling back to each instance's own buckets (a per-instance limit meanwhile, no failed request; the
// rate-limit-fallback alert says so). docs/deployment.md gives the price and its source.

param location string
param tags object
param name string
param networkIsolation bool

@description('Name of the user-assigned identity the app runs as; the cache admits it through an access policy assignment.')
param appIdentityName string

// Azure Managed Redis listens on 10000 (TLS), whatever the clustering policy.
var port = 10000

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: appIdentityName
}

resource cluster 'Microsoft.Cache/redisEnterprise@2025-07-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Balanced_B0' }
  properties: {
    highAvailability: 'Disabled'
    minimumTlsVersion: '1.2'
    // With NETWORK_ISOLATION the cache answers only its private endpoint (network.bicep); without it, anyone on the
    // internet can reach the port, and only a Microsoft Entra token of an identity it admits opens it.
    publicNetworkAccess: networkIsolation ? 'Disabled' : 'Enabled'
  }
}

resource database 'Microsoft.Cache/redisEnterprise/databases@2025-07-01' = {
  parent: cluster
  // The only database name Azure Managed Redis accepts.
  name: 'default'
  properties: {
    // Microsoft Entra tokens only: no access key exists that could leak into a setting, a log or a pipeline.
    accessKeysAuthentication: 'Disabled'
    clientProtocol: 'Encrypted'
    port: port
    // One endpoint for every shard: the app's client needs no cluster support (RedisRateLimiting's two keys of a
    // bucket share a hash slot anyway: rl:{<bucket>} and rl:{<bucket>}:ts).
    clusteringPolicy: 'EnterpriseCluster'
    // Every bucket carries a TTL (twice its refill time), so under memory pressure the least recently used go
    // first: idle callers', whose buckets have refilled anyway. Refusing writes (NoEviction) would instead send
    // every check to the fallback.
    evictionPolicy: 'VolatileLRU'
  }
}

// The built-in 'default' access policy (read and write every key) for the app's identity, by object id. The
// assignment's name allows letters and digits only, hence a dashless guid.
resource appAccess 'Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments@2025-07-01' = {
  parent: database
  name: replace(guid(database.id, appIdentity.id), '-', '')
  properties: {
    accessPolicyName: 'default'
    user: { objectId: appIdentity.properties.principalId }
  }
}

output name string = cluster.name
output hostName string = cluster.properties.hostName
output port int = port
