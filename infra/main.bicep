// Everything the VideoSDK token endpoint needs, secure by default: a Flex Consumption function app that
// reads its VideoSDK key and secret from Key Vault with its own identity, and no shared keys anywhere.
targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------------

@minLength(1)
@maxLength(64)
@description('Environment name (azd passes AZURE_ENV_NAME); seeds the resource names and the azd-env-name tag.')
param environmentName string

// Regions that offer Flex Consumption, so that another region fails at validation, before anything is
// created, instead of when the plan is. Source: the allowed list of the Flex Consumption azd quickstart
// (Azure-Samples/functions-quickstart-dotnet-azd, infra/main.bicep at fe74255, 2026-02-24, read 2026-12-07)
// without its canary region eastus2euap; Microsoft's Flex Consumption docs defer to
// `az functionapp list-flexconsumption-locations` for today's list: add a region here when it appears there.
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({ azd: { type: 'location' } })
@description('Region of every resource, one that offers Flex Consumption. azd passes AZURE_LOCATION.')
param location string

@description('Tags added to every resource.')
param tags object = {}

@description('Object id of a person or pipeline that may set and rotate the secrets (Key Vault Secrets Officer). azd passes AZURE_PRINCIPAL_ID. Empty: no such assignment.')
param operatorPrincipalId string = ''

@allowed(['User', 'Group', 'ServicePrincipal'])
@description('Kind of principal operatorPrincipalId names. main.bicepparam takes AZURE_PRINCIPAL_TYPE when you set it, else OPERATOR_PRINCIPAL_TYPE, which the preprovision hook derives for the principal azd passes (a pipeline signs in as a ServicePrincipal).')
param operatorPrincipalType string = 'User'

@description('Where the alerts are e-mailed (docs/operate.md). Empty: they show in the portal only.')
param alertEmail string = ''

@description('Browser origins allowed to call the endpoint (exact https origins). Any "*" makes the deployment fail.')
param corsAllowedOrigins string[] = []

// Memory does not decide the size; CPU does. The worker peaks at about 119 MiB (132 MiB in vault mode) under
// 64 concurrent requests, but each size also sets the CPU share (512 MB about 0.25 core, 2048 about 1, 4096
// about 2), and cold start is CPU-bound (about 0.4 s of worker CPU to the first token, 0.6 s in vault mode).
// 512 MB would bill a quarter per second for roughly four times the seconds and a much slower first token;
// 2048 keeps a full core.
// Measured: docs/performance.md.
@allowed([512, 2048, 4096])
@description('Memory of one Flex Consumption instance, in MB.')
param instanceMemoryMB int = 2048

@minValue(40)
@maxValue(1000)
@description('Upper bound on Flex Consumption scale-out (also a cost bound).')
param maximumInstanceCount int = 40

// Always-ready instances of the HTTP group: started and kept running, so a first caller after an idle period does
// not wait for a cold start (the platform's own and the worker's). Each is billed all month at the Always Ready
// Baseline rate for instanceMemoryMB, idle or not: docs/performance.md gives the cost and the source. Off (0) by
// default: a token endpoint is called when someone joins a meeting, and an idle month should cost nothing.
@minValue(0)
@maxValue(1000)
@description('Always-ready instances for the HTTP functions (0: scale to zero; each one is billed while idle).')
param alwaysReadyInstances int = 0

@minValue(30)
@maxValue(730)
@description('Days Log Analytics keeps logs, Key Vault audit events included.')
param logRetentionInDays int = 30

@description('Private network: VNet integration, private endpoints for Key Vault and blob storage, public access to both off. Needs the Microsoft.App resource provider registered in the subscription (az provider register --namespace Microsoft.App).')
param networkIsolation bool = false

@description('Name of the Key Vault; empty: kv-<resource token>. The preprovision hook sets it (AZURE_KEY_VAULT_NAME) when a soft-deleted vault holds the derived name and is not to be recovered.')
@maxLength(24)
param keyVaultName string = ''

@description('Name of the Key Vault secret holding the VideoSDK API secret.')
param apiSecretName string = 'videosdk-api-secret'

@description('Name of the Key Vault secret holding the VideoSDK API key.')
param apiKeySecretName string = 'videosdk-api-key'

@description('How often the app re-reads the secrets from Key Vault (TimeSpan).')
param vaultRefreshInterval string = '00:05:00'

@description('How long the app keeps signing with a cached secret while Key Vault is unreachable (TimeSpan).')
param vaultMaxStaleness string = '01:00:00'

@minValue(60)
@description('Token lifetime when the caller asks for none, in seconds.')
param defaultTokenTtlSeconds int = 86400

@minValue(60)
@description('Longest token lifetime a caller may ask for, in seconds.')
param maxTokenTtlSeconds int = 86400

@description('VideoSDK permissions a caller may ask for.')
param allowedPermissions string[] = ['allow_join', 'ask_join']

@description('VideoSDK permissions of a token when the caller asks for none.')
param defaultPermissions string[] = ['allow_join']

@description('Issuer URL of the OpenID Connect provider that signs callers in, e.g. https://login.microsoftonline.com/<tenant-id>/v2.0. Empty: no caller authentication, and the app refuses to start unless allowAnonymousCallers is true.')
param callerAuthAuthority string = ''

@description('Accepted audiences (aud) of caller tokens: your API\'s client id or App ID URI. Required with callerAuthAuthority.')
param callerAuthAudiences string[] = []

@description('Claim that becomes the token\'s participantId (sub; with Entra ID oid is stable across apps).')
param callerAuthParticipantIdClaim string = 'sub'

@description('Claim holding the caller\'s roles or groups, for the role rules (CallerAuth__Roles__<role>__Permissions__0 app settings).')
param callerAuthRolesClaim string = 'roles'

@description('Run an open endpoint on purpose: anyone who can reach /api/token gets a token. Only without callerAuthAuthority.')
param allowAnonymousCallers bool = false

@minValue(1)
@description('Rate limit per caller and per instance: requests a caller may make in a burst.')
param rateLimitBurst int = 10

@minValue(1)
@description('Rate limit per caller and per instance: requests added back every rateLimitReplenishmentPeriod.')
param rateLimitTokensPerPeriod int = 10

@description('Rate limit per caller and per instance: the refill period (TimeSpan).')
param rateLimitReplenishmentPeriod string = '00:01:00'

@description('One rate limit across every instance: Azure Managed Redis (Balanced_B0, about 12 USD a month) holds each caller\'s bucket, reached with the app\'s identity (docs/deployment.md). Off: each instance keeps its own buckets, so a caller gets up to the limit once per instance.')
param globalRateLimit bool = false

// ---------------------------------------------------------------------------------------------------
// Names, tags and fixed facts
// ---------------------------------------------------------------------------------------------------

// Deterministic per subscription, group and environment, so a redeployment updates instead of duplicating.
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName, location))
var allTags = union(tags, { 'azd-env-name': environmentName })
// azd finds the resource to deploy the service into by this tag; the name matches azure.yaml.
var functionAppTags = union(allTags, { 'azd-service-name': 'token-function' })

var abbrs = loadJsonContent('abbreviations.json')
var names = {
  logAnalytics: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
  appInsights: '${abbrs.insightsComponents}${resourceToken}'
  storage: '${abbrs.storageStorageAccounts}${resourceToken}'
  keyVault: empty(keyVaultName) ? '${abbrs.keyVaultVaults}${resourceToken}' : keyVaultName
  plan: '${abbrs.webServerFarms}${resourceToken}'
  functionApp: '${abbrs.webSitesFunctions}${resourceToken}'
  appIdentity: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
  virtualNetwork: '${abbrs.networkVirtualNetworks}${resourceToken}'
  redis: '${abbrs.cacheRedisEnterprise}${resourceToken}'
}
var deploymentContainerName = 'app-package-${resourceToken}'
// The HMAC key that names the shared rate limit's buckets: written into the vault by the postprovision hook (a
// random 256-bit value, never a deployment parameter) and read by the platform as a Key Vault reference.
var rateLimitKeySecretName = 'rate-limit-key'

// A "*" origin would let any web page mint tokens with a visitor's browser (a "*." one, any page under that
// domain); fail() stops the deployment.
var corsOrigins = empty(filter(corsAllowedOrigins, origin => contains(origin, '*')))
  ? corsAllowedOrigins
  : fail('corsAllowedOrigins must not contain "*": list the exact origins of the web apps that call the endpoint.')

// Mistakes the app would refuse at start-up, refused at deployment already. The preprovision hook refuses
// an undecided caller authentication with the same message before azd gets this far.
var callerAuthority = empty(callerAuthAuthority) && !allowAnonymousCallers
  ? fail('Caller authentication is undecided: either run `azd env set CALLER_AUTH_AUTHORITY <issuer URL>` and `azd env set CALLER_AUTH_AUDIENCE <audience>`, or run `azd env set ALLOW_ANONYMOUS_CALLERS true` to run an open endpoint on purpose.')
  : !empty(callerAuthAuthority) && !startsWith(callerAuthAuthority, 'https://')
  ? fail('callerAuthAuthority must be the provider\'s https:// issuer URL.')
  : !empty(callerAuthAuthority) && empty(callerAuthAudiences)
      ? fail('callerAuthAudiences must list at least one audience when callerAuthAuthority is set.')
      : !empty(callerAuthAuthority) && allowAnonymousCallers
          ? fail('allowAnonymousCallers cannot be true when callerAuthAuthority is set.')
          : callerAuthAuthority

// ---------------------------------------------------------------------------------------------------
// Modules. Each takes what it needs from the others' outputs, which also orders them.
// ---------------------------------------------------------------------------------------------------

module monitoring 'monitoring/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: allTags
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.appInsights
    logRetentionInDays: logRetentionInDays
  }
}

// Alert rules, their action group and the operator's workbook over the app's Application Insights (docs/operate.md).
module observability 'monitoring/observability.bicep' = {
  name: 'observability'
  // The rules and the workbook need the component to exist; its id is computed, so the order is stated.
  dependsOn: [monitoring]
  params: {
    location: location
    tags: allTags
    namePrefix: resourceToken
    // Computed from the name (known before deployment) rather than the module's output, for What-If's sake.
    appInsightsId: resourceId('Microsoft.Insights/components', names.appInsights)
    alertEmail: alertEmail
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: allTags
    name: names.storage
    deploymentContainerName: deploymentContainerName
    networkIsolation: networkIsolation
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

module appIdentity 'app/identity.bicep' = {
  name: 'app-identity'
  params: {
    location: location
    tags: allTags
    name: names.appIdentity
  }
}

module keyVault 'app/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    location: location
    tags: allTags
    name: names.keyVault
    networkIsolation: networkIsolation
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

// The shared rate limit's cache, with its access policy for the app's identity (docs/deployment.md, "Shared rate
// limit (Azure Managed Redis)").
module redis 'app/redis.bicep' = if (globalRateLimit) {
  name: 'redis'
  params: {
    location: location
    tags: allTags
    name: names.redis
    networkIsolation: networkIsolation
    appIdentityName: names.appIdentity
  }
  // The access policy names the identity, which this module only names.
  dependsOn: [appIdentity]
}

module network 'network.bicep' = if (networkIsolation) {
  name: 'network'
  params: {
    location: location
    tags: allTags
    name: names.virtualNetwork
    resourceToken: resourceToken
    privateEndpointPrefix: abbrs.networkPrivateEndpoints
    keyVaultName: names.keyVault
    storageName: names.storage
    redisName: globalRateLimit ? names.redis : ''
  }
  // The endpoints attach to the vault, the account and the cache, which this module only names.
  dependsOn: [keyVault, storage, redis]
}

// The keys are the configuration keys the app binds ("__" is the section separator of .NET configuration);
// a test checks them against the app's options classes. No FUNCTIONS_* runtime settings: Flex takes the
// runtime from functionAppConfig and rejects them.
var appSettings = concat(
  [
    // The blob endpoint from the cloud's own suffix, so sovereign clouds resolve too.
    { name: 'AzureWebJobsStorage__blobServiceUri', value: 'https://${names.storage}.blob.${environment().suffixes.storage}' }
    { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
    { name: 'AzureWebJobsStorage__clientId', value: appIdentity.outputs.clientId }
    { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: monitoring.outputs.applicationInsightsConnectionString }
    // The host's own telemetry, as the user-assigned identity (the worker's uses KeyVault__ManagedIdentityClientId).
    { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${appIdentity.outputs.clientId};Authorization=AAD' }
    { name: 'KeyVault__VaultUri', value: keyVault.outputs.uri }
    { name: 'KeyVault__ManagedIdentityClientId', value: appIdentity.outputs.clientId }
    { name: 'KeyVault__ApiSecretName', value: apiSecretName }
    { name: 'KeyVault__ApiKeySecretName', value: apiKeySecretName }
    { name: 'KeyVault__RefreshInterval', value: vaultRefreshInterval }
    { name: 'KeyVault__MaxStaleness', value: vaultMaxStaleness }
    { name: 'Tokens__DefaultTtlSeconds', value: string(defaultTokenTtlSeconds) }
    { name: 'Tokens__MaxTtlSeconds', value: string(maxTokenTtlSeconds) }
    { name: 'CallerAuth__Authority', value: callerAuthority }
    { name: 'CallerAuth__ParticipantIdClaim', value: callerAuthParticipantIdClaim }
    { name: 'CallerAuth__RolesClaim', value: callerAuthRolesClaim }
    { name: 'CallerAuth__AllowAnonymous', value: string(allowAnonymousCallers) }
    { name: 'RateLimit__Burst', value: string(rateLimitBurst) }
    { name: 'RateLimit__TokensPerPeriod', value: string(rateLimitTokensPerPeriod) }
    { name: 'RateLimit__ReplenishmentPeriod', value: rateLimitReplenishmentPeriod }
  ],
  indexedSettings('Tokens__AllowedPermissions', allowedPermissions),
  indexedSettings('Tokens__DefaultPermissions', defaultPermissions),
  indexedSettings('CallerAuth__Audiences', callerAuthAudiences),
  globalRateLimit ? sharedRateLimitSettings : []
)

// RateLimit:Redis of the app (one bucket per caller for every instance). The identity is the one
// KeyVault__ManagedIdentityClientId names: the app signs in to Redis with an Entra token of it. Taking the host
// from the module's output also makes the app wait for the cache and its access policy.
var sharedRateLimitSettings = [
  { name: 'RateLimit__Redis__Host', value: redis!.outputs.hostName }
  { name: 'RateLimit__Redis__Port', value: string(redis!.outputs.port) }
  { name: 'RateLimit__Redis__UseTls', value: string(true) }
  { name: 'RateLimit__Redis__Authentication', value: 'EntraId' }
  // Resolved by the platform with the app's identity (keyVaultReferenceIdentity); no value in the template.
  { name: 'RateLimit__Redis__KeySecret', value: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/${rateLimitKeySecretName})' }
]

// .NET configuration reads an array from keys suffixed __0, __1, ...
func indexedSettings(prefix string, values string[]) array =>
  map(range(0, length(values)), i => { name: '${prefix}__${i}', value: values[i] })

module functionApp 'app/function-app.bicep' = {
  name: 'function-app'
  params: {
    location: location
    tags: functionAppTags
    planName: names.plan
    name: names.functionApp
    appSettings: appSettings
    corsAllowedOrigins: corsOrigins
    deploymentContainerUrl: '${storage.outputs.blobEndpoint}${deploymentContainerName}'
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyInstances: alwaysReadyInstances
    identityId: appIdentity.outputs.id
    // Taking the subnet from the network module's output also makes the app wait for the VNet it joins.
    virtualNetworkSubnetId: networkIsolation ? network!.outputs.appSubnetId : ''
  }
  // Every grant of its identity exists before the site does, so its first start does not race them.
  dependsOn: [rbac]
}

// Names rather than outputs, so what-if can predict the assignments; hence the order is stated: after the
// identity, the vault, the storage account and monitoring it grants on.
module rbac 'rbac.bicep' = {
  name: 'rbac'
  dependsOn: [appIdentity, keyVault, storage, monitoring]
  params: {
    appIdentityName: names.appIdentity
    keyVaultName: names.keyVault
    storageName: names.storage
    applicationInsightsName: names.appInsights
    operatorPrincipalId: operatorPrincipalId
    operatorPrincipalType: operatorPrincipalType
  }
}

// ---------------------------------------------------------------------------------------------------
// Outputs (azd turns them into environment values). Nothing secret: no keys, no connection strings.
// ---------------------------------------------------------------------------------------------------

output FUNCTION_APP_NAME string = functionApp.outputs.name
output FUNCTION_APP_PRINCIPAL_ID string = appIdentity.outputs.principalId
output TOKEN_ENDPOINT_URL string = 'https://${functionApp.outputs.defaultHostName}/api/token'
output KEY_VAULT_NAME string = keyVault.outputs.name
output KEY_VAULT_URI string = keyVault.outputs.uri
output APPLICATION_INSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
// The vault secret the postprovision hook fills with the shared rate limit's bucket-name key; empty without
// globalRateLimit, so the hook writes nothing.
output RATE_LIMIT_KEY_SECRET_NAME string = globalRateLimit ? rateLimitKeySecretName : ''
