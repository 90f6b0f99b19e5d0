// Log Analytics and workspace-based Application Insights. Alerts and workbooks belong next to this file as
// modules of their own, composed in main.bicep.

param location string
param tags object
param logAnalyticsName string
param applicationInsightsName string

@minValue(30)
@maxValue(730)
param logRetentionInDays int

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: logRetentionInDays
    // Queries and ingestion only with Entra identities, no workspace keys.
    features: { disableLocalAuth: true }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    // Telemetry is accepted only from Entra identities (the app's, with the role rbac.bicep grants).
    DisableLocalAuth: true
  }
}

output logAnalyticsWorkspaceId string = logAnalytics.id
output applicationInsightsName string = appInsights.name
output applicationInsightsId string = appInsights.id
// Not a secret with local auth off: it only locates the ingestion endpoint; ingestion needs an Entra token.
output applicationInsightsConnectionString string = appInsights.properties.ConnectionString
