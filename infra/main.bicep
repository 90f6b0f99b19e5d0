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

@description('Region of every resource; the resource group\'s own by default.')
param location string = resourceGroup().location

@description('Tags added to every resource.')
param tags object = {}

@description('VideoSDK API key. Leave empty to set it out of band with az keyvault secret set.')
@secure()
param videoSdkApiKey string = ''

@description('VideoSDK API secret. Leave empty to set it out of band with az keyvault secret set.')
@secure()
param videoSdkApiSecret string = ''

@description('Object id of a person or pipeline that may set and rotate the secrets (Key Vault Secrets Officer). azd passes AZURE_PRINCIPAL_ID. Empty: no such assignment.')
param operatorPrincipalId string = ''

@allowed(['User', 'Group', 'ServicePrincipal'])
@description('Kind of principal operatorPrincipalId names.')
param operatorPrincipalType string = 'User'

@description('Browser origins allowed to call the endpoint (exact https origins). Any "*" makes the deployment fail.')
param corsAllowedOrigins string[] = []

// Memory does not decide the size; CPU does. The worker peaks at about 115 MiB (123 MiB in vault mode) under
// 64 concurrent requests, but each size also sets the CPU share (512 MB about 0.25 core, 2048 about 1, 4096
// about 2), and cold start is CPU-bound (about 0.4 s of worker CPU to the first token). 512 MB would bill a
// quarter per second for roughly four times the seconds and a much slower first token; 2048 keeps a full core.
// Measured: docs/performance.md.
@allowed([512, 2048, 4096])
@description('Memory of one Flex Consumption instance, in MB.')
param instanceMemoryMB int = 2048

@minValue(40)
@maxValue(1000)
@description('Upper bound on Flex Consumption scale-out (also a cost bound).')
param maximumInstanceCount int = 40

@minValue(30)
@maxValue(730)
@description('Days Log Analytics keeps logs, Key Vault audit events included.')
param logRetentionInDays int = 30

@description('Private network: VNet integration, private endpoints for Key Vault and blob storage, public access to both off.')
param networkIsolation bool = false

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

// ---------------------------------------------------------------------------------------------------
// Names, tags and fixed facts
// ---------------------------------------------------------------------------------------------------

// Deterministic per subscription, group and environment, so a redeployment updates instead of duplicating.
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName, location))
var allTags = union(tags, { 'azd-env-name': environmentName })
// azd finds the resource to deploy the service into by this tag; the name matches azure.yaml.
var functionAppTags = union(allTags, { 'azd-service-name': 'token-function' })

var names = {
  logAnalytics: 'log-${resourceToken}'
  appInsights: 'appi-${resourceToken}'
  storage: 'st${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  plan: 'asp-${resourceToken}'
  functionApp: 'func-${resourceToken}'
  virtualNetwork: 'vnet-${resourceToken}'
}
var deploymentContainerName = 'app-package-${resourceToken}'

var roleIds = {
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// A "*" origin would let any web page mint tokens with a visitor's browser (a "*." one, any page under that
// domain); fail() stops the deployment.
var corsOrigins = empty(filter(corsAllowedOrigins, origin => contains(origin, '*')))
  ? corsAllowedOrigins
  : fail('corsAllowedOrigins must not contain "*": list the exact origins of the web apps that call the endpoint.')

// Only the secrets given as parameters are written (a condition per secret); the others are left to be set
// out of band, so an empty parameter never overwrites a value set with az keyvault secret set.
var vaultSecrets = [
  { name: apiSecretName, value: videoSdkApiSecret }
  { name: apiKeySecretName, value: videoSdkApiKey }
]

// Mistakes the app would refuse at start-up, refused at deployment already. No authority and no
// allowAnonymousCallers is not one of them: that deploys, and the app then refuses to start (issue 4).
var callerAuthority = !empty(callerAuthAuthority) && !startsWith(callerAuthAuthority, 'https://')
  ? fail('callerAuthAuthority must be the provider\'s https:// issuer URL.')
  : !empty(callerAuthAuthority) && empty(callerAuthAudiences)
      ? fail('callerAuthAudiences must list at least one audience when callerAuthAuthority is set.')
      : !empty(callerAuthAuthority) && allowAnonymousCallers
          ? fail('allowAnonymousCallers cannot be true when callerAuthAuthority is set.')
          : callerAuthAuthority

var publicNetworkAccess = networkIsolation ? 'Disabled' : 'Enabled'
var networkAcls = {
  bypass: 'AzureServices'
  defaultAction: networkIsolation ? 'Deny' : 'Allow'
}

// ---------------------------------------------------------------------------------------------------
// Monitoring
// ---------------------------------------------------------------------------------------------------

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: names.logAnalytics
  location: location
  tags: allTags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: logRetentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: names.appInsights
  location: location
  tags: allTags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    // Telemetry is accepted only from Entra identities (the app's, with the role below).
    DisableLocalAuth: true
  }
}

// ---------------------------------------------------------------------------------------------------
// Storage for the Functions host and the deployment package
// ---------------------------------------------------------------------------------------------------

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: names.storage
  location: location
  tags: allTags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: networkAcls
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: { publicAccess: 'None' }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Key Vault and the VideoSDK secrets
// ---------------------------------------------------------------------------------------------------

resource keyVault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: names.keyVault
  location: location
  tags: allTags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: networkAcls
  }
}

resource secrets 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = [
  for secret in vaultSecrets: if (!empty(secret.value)) {
    parent: keyVault
    name: secret.name
    properties: {
      value: secret.value
      contentType: 'text/plain'
    }
  }
]

// The linter's suggestion, 2016-09-01, is a different legacy type (name must be 'service', no scope);
// 2021-05-01-preview is the newest version there is of resource diagnostic settings.
#disable-next-line use-recent-api-versions
resource keyVaultAudit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit-to-log-analytics'
  scope: keyVault
  properties: {
    workspaceId: logAnalytics.id
    logs: [
      { category: 'AuditEvent', enabled: true }
    ]
  }
}

// ---------------------------------------------------------------------------------------------------
// Function app on Flex Consumption
// ---------------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: names.plan
  location: location
  tags: allTags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: {
    reserved: true // Linux
  }
}

// The keys are the configuration keys the app binds ("__" is the section separator of .NET configuration);
// a test checks them against the app's options classes. No FUNCTIONS_* runtime settings: Flex takes the
// runtime from functionAppConfig and rejects them.
var appSettings = concat(
  [
    { name: 'AzureWebJobsStorage__accountName', value: storage.name }
    { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
    { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
    { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD' }
    { name: 'KeyVault__VaultUri', value: keyVault.properties.vaultUri }
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
  indexedSettings('CallerAuth__Audiences', callerAuthAudiences)
)

// .NET configuration reads an array from keys suffixed __0, __1, ...
func indexedSettings(prefix string, values string[]) array =>
  map(range(0, length(values)), i => { name: '${prefix}__${i}', value: values[i] })

resource functionApp 'Microsoft.Web/sites@2025-03-01' = {
  name: names.functionApp
  location: location
  tags: functionAppTags
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    virtualNetworkSubnetId: networkIsolation ? appSubnetId : null
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      remoteDebuggingEnabled: false
      cors: {
        allowedOrigins: corsOrigins
        supportCredentials: false
      }
      appSettings: appSettings
    }
  }
  // The subnet is named by resourceId(), which carries no dependency: without this the app could be created
  // before the VNet it joins.
  dependsOn: [virtualNetwork]
}

// Deployments go through the app's identity; no username/password publishing for either channel.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: functionApp
  name: 'ftp'
  properties: { allow: false }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: functionApp
  name: 'scm'
  properties: { allow: false }
}

// ---------------------------------------------------------------------------------------------------
// Role assignments of the app's identity (least privilege)
// ---------------------------------------------------------------------------------------------------

// principalType spares the lookup that fails while a brand-new identity is still replicating.
func appIdentityGrant(roleId string, principalId string) object => {
  roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
  principalId: principalId
  principalType: 'ServicePrincipal'
}

// Scoped to each secret, not the vault: the app can read these two secrets and nothing else stored there.
resource secretReaders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (secret, i) in vaultSecrets: if (!empty(secret.value)) {
    name: guid(secrets[i].id, functionApp.id, roleIds.keyVaultSecretsUser)
    scope: secrets[i]
    properties: appIdentityGrant(roleIds.keyVaultSecretsUser, functionApp.identity.principalId)
  }
]

// The host keeps its keys and leases in blobs and Flex reads the deployment package from the container.
resource hostStorageOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, functionApp.id, roleIds.storageBlobDataOwner)
  scope: storage
  properties: appIdentityGrant(roleIds.storageBlobDataOwner, functionApp.identity.principalId)
}

// Needed because App Insights refuses instrumentation-key-only ingestion (DisableLocalAuth).
resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, functionApp.id, roleIds.monitoringMetricsPublisher)
  scope: appInsights
  properties: appIdentityGrant(roleIds.monitoringMetricsPublisher, functionApp.identity.principalId)
}

resource operatorSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(keyVault.id, operatorPrincipalId, roleIds.keyVaultSecretsOfficer)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsOfficer)
    principalId: operatorPrincipalId
    principalType: operatorPrincipalType
  }
}

// ---------------------------------------------------------------------------------------------------
// Optional network isolation
// ---------------------------------------------------------------------------------------------------

resource virtualNetwork 'Microsoft.Network/virtualNetworks@2025-05-01' = if (networkIsolation) {
  name: names.virtualNetwork
  location: location
  tags: allTags
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
}

var appSubnetId = resourceId('Microsoft.Network/virtualNetworks/subnets', names.virtualNetwork, 'snet-app')
var privateEndpointSubnetId = resourceId(
  'Microsoft.Network/virtualNetworks/subnets',
  names.virtualNetwork,
  'snet-private-endpoints'
)

// One entry per private endpoint; zone names come from the cloud's own suffixes (sovereign clouds too).
var privateLinks = networkIsolation
  ? [
      {
        name: 'kv'
        serviceId: keyVault.id
        groupId: 'vault'
        zone: 'privatelink${replace(environment().suffixes.keyvaultDns, 'vault', 'vaultcore')}'
      }
      {
        name: 'blob'
        serviceId: storage.id
        groupId: 'blob'
        zone: 'privatelink.blob.${environment().suffixes.storage}'
      }
    ]
  : []

resource privateDnsZones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for link in privateLinks: {
    name: link.zone
    location: 'global'
    tags: allTags
  }
]

resource privateDnsZoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (link, i) in privateLinks: {
    parent: privateDnsZones[i]
    name: 'link-${names.virtualNetwork}'
    location: 'global'
    tags: allTags
    properties: {
      registrationEnabled: false
      virtualNetwork: { id: virtualNetwork.id }
    }
  }
]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2025-05-01' = [
  for (link, i) in privateLinks: {
    name: 'pe-${link.name}-${resourceToken}'
    location: location
    tags: allTags
    properties: {
      subnet: { id: privateEndpointSubnetId }
      privateLinkServiceConnections: [
        {
          name: 'pe-${link.name}-${resourceToken}'
          properties: {
            privateLinkServiceId: link.serviceId
            groupIds: [link.groupId]
          }
        }
      ]
    }
    dependsOn: [virtualNetwork]
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

// ---------------------------------------------------------------------------------------------------
// Outputs (azd turns them into environment values). Nothing secret: no keys, no connection strings.
// ---------------------------------------------------------------------------------------------------

output FUNCTION_APP_NAME string = functionApp.name
output FUNCTION_APP_PRINCIPAL_ID string = functionApp.identity.principalId
output TOKEN_ENDPOINT_URL string = 'https://${functionApp.properties.defaultHostName}/api/token'
output KEY_VAULT_NAME string = keyVault.name
output KEY_VAULT_URI string = keyVault.properties.vaultUri
output APPLICATION_INSIGHTS_NAME string = appInsights.name
