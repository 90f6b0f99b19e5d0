// The Flex Consumption plan and the function app, running as the user-assigned identity app/identity.bicep
// creates. main.bicep composes the app settings (the configuration contract with the app); this module only
// places them. Only properties Flex Consumption accepts: its deprecations table (cited in
// TokenFunction.Tests/Infra/SiteRules.cs) lists ftpsState among others; FTP is off through the publishing
// credential policies below instead.

param location string
param tags object
param planName string
param name string
param appSettings array
param corsAllowedOrigins string[]
param deploymentContainerUrl string
param instanceMemoryMB int
param maximumInstanceCount int
@description('Always-ready instances of the HTTP group; 0 leaves the list empty (scale to zero).')
param alwaysReadyInstances int

@description('Resource id of the user-assigned identity the app runs as and reads its deployment package with.')
param identityId string

@description('Subnet delegated to Microsoft.App/environments, or empty for no VNet integration.')
param virtualNetworkSubnetId string

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: {
    reserved: true // Linux
  }
}

resource functionApp 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    // Key Vault references in app settings (the shared rate limit's key) resolve as the app's identity, which the
    // vault grants Secrets User; without this the platform would look for a system-assigned identity.
    keyVaultReferenceIdentity: identityId
    httpsOnly: true
    clientAffinityEnabled: false
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        // Flex Consumption scales HTTP functions as one group named 'http'.
        alwaysReady: alwaysReadyInstances == 0 ? [] : [{ name: 'http', instanceCount: alwaysReadyInstances }]
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      http20Enabled: true
      remoteDebuggingEnabled: false
      cors: {
        allowedOrigins: corsAllowedOrigins
        supportCredentials: false
      }
      appSettings: appSettings
    }
  }
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

output name string = functionApp.name
output id string = functionApp.id
output defaultHostName string = functionApp.properties.defaultHostName
