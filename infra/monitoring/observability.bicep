// The operator's view of the token service: log-search alert rules over the app's Application Insights data,
// an action group that receives them, and a workbook. Every metric name and dimension queried here and in
// workbook.json is one the worker emits (TokenFunction/Telemetry/TelemetryNames.cs); a test checks that.
// Log-search rules, not metric alerts: alerting on custom metric dimensions would need an extra opt-in on the component.

@description('Location of the rules, the action group and the workbook.')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('Prefix of the resource names (the environment\'s resource token).')
param namePrefix string

@description('Resource id of the app\'s Application Insights component: the rules and the workbook read it.')
param appInsightsId string

@description('Where alerts are e-mailed; empty sends them nowhere but the portal (the action group has no receiver).')
param alertEmail string = ''

@description('How often the app re-reads the signing secret from Key Vault (KeyVault__RefreshInterval), in seconds.')
@minValue(1)
param credentialsRefreshIntervalSeconds int = 300

@description('Days before the signing credentials\' expiry date in Key Vault at which the alert fires (rotation takes a refresh interval plus a token lifetime).')
@minValue(1)
param credentialsExpiryAlertDays int = 30

@description('401 and 429 refusals within 15 minutes above which someone should look (a broken client or an attack).')
@minValue(1)
param refusalSpikeThreshold int = 500

// Names of the worker's instruments and attributes (TelemetryNames.cs).
var metric = {
  refused: 'token_function.requests.refused'
  credentialsAge: 'token_function.signing_credentials.age'
  credentialsTimeToExpiry: 'token_function.signing_credentials.time_to_expiry'
  rateLimitFallbacks: 'token_function.rate_limit.fallbacks'
}

var refusedWith = 'customMetrics | where name == "${metric.refused}"'

// Each query returns rows only when something is wrong; a rule fires when it returns any.
var alerts = [
  {
    name: 'signing-credentials-unavailable'
    severity: 1
    window: 'PT5M'
    description: 'Tokens are refused with 503 signing_credentials_unavailable: the app has no usable VideoSDK secret (Key Vault unreachable, access denied, or the last good secret older than KeyVault__MaxStaleness). Check the app\'s Key Vault read failures (workbook) and GET /api/health.'
    query: '${refusedWith} | where tostring(customDimensions["error.type"]) == "signing_credentials_unavailable" | summarize Refused = sum(valueSum) | where Refused > 0'
  }
  {
    name: 'signing-credentials-stale'
    severity: 2
    window: 'PT15M'
    description: 'The signing credentials were last loaded more than three refresh intervals ago: Key Vault reads are failing. Tokens are still issued until KeyVault__MaxStaleness; fix the vault access before then.'
    query: 'customMetrics | where name == "${metric.credentialsAge}" | summarize AgeSeconds = max(value) | where AgeSeconds > ${3 * credentialsRefreshIntervalSeconds}'
  }
  {
    name: 'signing-credentials-expiring'
    severity: 2
    window: 'PT1H'
    description: 'The VideoSDK key and secret in Key Vault reach their expiry date within ${credentialsExpiryAlertDays} days (or passed it). Tokens are still issued: Key Vault serves an expired secret and the app keeps signing. Create a new pair in the VideoSDK dashboard and run scripts/rotate-videosdk-secret.sh, which sets a new expiry.'
    query: 'customMetrics | where name == "${metric.credentialsTimeToExpiry}" | summarize Days = min(value) | where Days < ${credentialsExpiryAlertDays}'
  }
  {
    name: 'server-errors'
    severity: 1
    window: 'PT5M'
    description: 'Requests answered with a 5xx status (503 unavailable credentials or identity provider, 502/504 from VideoSDK, 500 unexpected). The error code in the workbook\'s refusals chart says which.'
    query: '${refusedWith} | where toint(customDimensions["http.response.status_code"]) >= 500 | summarize Refused = sum(valueSum) | where Refused > 0'
  }
  {
    name: 'upstream-credentials-rejected'
    severity: 1
    window: 'PT5M'
    description: 'VideoSDK refused this service\'s own credentials (upstream_credentials_rejected): the API key and secret in Key Vault do not match. Put the current pair from the VideoSDK dashboard into the vault.'
    query: '${refusedWith} | where tostring(customDimensions["error.type"]) == "upstream_credentials_rejected" | summarize Refused = sum(valueSum) | where Refused > 0'
  }
  {
    name: 'rate-limit-fallback'
    severity: 2
    window: 'PT5M'
    description: 'Rate-limit checks were decided by an instance\'s own bucket because the shared one (Redis) failed or was too slow: callers may get a burst per instance meanwhile. The workbook\'s fallback chart gives the class (connection, timeout, server_error); the instances return to the shared limit by themselves.'
    query: 'customMetrics | where name == "${metric.rateLimitFallbacks}" | summarize Checks = sum(valueSum) | where Checks > 0'
  }
  {
    name: 'caller-refusal-spike'
    severity: 3
    window: 'PT15M'
    description: 'Many requests refused with 401 (bad or missing bearer tokens) or 429 (rate limited): a misconfigured client, an expired client secret, or a flood.'
    query: '${refusedWith} | where toint(customDimensions["http.response.status_code"]) in (401, 429) | summarize Refused = sum(valueSum) | where Refused > ${refusalSpikeThreshold}'
  }
]

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${namePrefix}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'tokens'
    enabled: true
    emailReceivers: empty(alertEmail) ? [] : [
      {
        name: 'operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

resource rules 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = [for alert in alerts: {
  name: 'alert-${namePrefix}-${alert.name}'
  location: location
  tags: tags
  properties: {
    displayName: 'Token service: ${alert.name}'
    description: alert.description
    severity: alert.severity
    enabled: true
    scopes: [appInsightsId]
    evaluationFrequency: 'PT5M'
    windowSize: alert.window
    criteria: {
      allOf: [
        {
          query: alert.query
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [actionGroup.id]
    }
  }
}]

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(appInsightsId, 'token-service-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Token service'
    category: 'workbook'
    sourceId: appInsightsId
    serializedData: loadTextContent('workbook.json')
  }
}

output actionGroupId string = actionGroup.id
output workbookId string = workbook.id
