// Every role assignment of the deployment. The app's user-assigned identity gets least privilege on each
// resource it uses, before the function app exists (main.bicep orders the app after this module); the operator
// (a person or a pipeline) may set and rotate the VideoSDK credentials.

param appIdentityName string
param keyVaultName string
param storageName string
param applicationInsightsName string
param operatorPrincipalId string

@allowed(['User', 'Group', 'ServicePrincipal'])
param operatorPrincipalType string

var roleIds = {
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: appIdentityName
}

resource keyVault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// principalType spares the lookup that fails while a brand-new identity is still replicating.
var appIdentityPrincipalId = appIdentity.properties.principalId

func grant(roleId string, principalId string) object => {
  roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
  principalId: principalId
  principalType: 'ServicePrincipal'
}

// On the vault, unconditionally: the app can read its credentials however and whenever they are set.
// The template creates this vault for this app alone, so a vault-wide grant is least privilege in practice,
// and it survives the secrets being replaced (a grant on a secret would not cover a secret set later).
resource secretsReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, appIdentity.id, roleIds.keyVaultSecretsUser)
  scope: keyVault
  properties: grant(roleIds.keyVaultSecretsUser, appIdentityPrincipalId)
}

// The host keeps its keys and leases in blobs, and Flex reads (and, deploying, writes) the package in the
// container with this identity: Flex uses an identity attached to the site for the package, and any identity
// attached to the site can be used by code running in it, so no split of identities keeps the package out of
// the app's reach (docs/deployment.md, "What the app's identity may do").
resource hostStorageOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appIdentity.id, roleIds.storageBlobDataOwner)
  scope: storage
  properties: grant(roleIds.storageBlobDataOwner, appIdentityPrincipalId)
}

// Needed because App Insights refuses instrumentation-key-only ingestion (DisableLocalAuth).
resource telemetryPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, appIdentity.id, roleIds.monitoringMetricsPublisher)
  scope: appInsights
  properties: grant(roleIds.monitoringMetricsPublisher, appIdentityPrincipalId)
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
