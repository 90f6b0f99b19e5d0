// The vault that holds the VideoSDK credentials. No secret is written here: the postprovision hook and
// scripts/rotate-videosdk-secret.sh set them, so no value ever passes through a deployment.

param location string
param tags object
param name string
param networkIsolation bool
param logAnalyticsWorkspaceId string

resource keyVault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // Deleted vaults stay (recoverable) for 90 days and cannot be purged early: preprovision recovers one
    // whose name this environment reuses.
    enablePurgeProtection: true
    publicNetworkAccess: networkIsolation ? 'Disabled' : 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: networkIsolation ? 'Deny' : 'Allow'
    }
  }
}

// Every log category (AuditEvent: who read or wrote which secret; AzurePolicyEvaluationDetails) and every
// metric (availability, latency, saturation) go to the workspace. The linter's suggestion, 2016-09-01, is a
// different legacy type (name must be 'service', no scope); 2021-05-01-preview is the newest version there is
// of resource diagnostic settings.
#disable-next-line use-recent-api-versions
resource keyVaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: keyVault
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      { categoryGroup: 'allLogs', enabled: true }
    ]
    metrics: [
      { category: 'AllMetrics', enabled: true }
    ]
  }
}

output name string = keyVault.name
output id string = keyVault.id
output uri string = keyVault.properties.vaultUri
