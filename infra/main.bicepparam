// Parameters for both deployment paths. azd fills the AZURE_* values from its environment (the preprovision
// hook adds OPERATOR_PRINCIPAL_TYPE); for `az deployment group create`, export them first (see
// docs/deployment.md). No secret is ever a parameter: the postprovision hook writes the VideoSDK
// credentials straight into the vault.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'videosdk-token')
param location = readEnvironmentVariable('AZURE_LOCATION')
param operatorPrincipalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
// AZURE_PRINCIPAL_TYPE when you set it; else what the preprovision hook derived for the principal azd passes.
var explicitPrincipalType = readEnvironmentVariable('AZURE_PRINCIPAL_TYPE', '')
param operatorPrincipalType = empty(explicitPrincipalType) ? readEnvironmentVariable('OPERATOR_PRINCIPAL_TYPE', 'User') : explicitPrincipalType
param networkIsolation = bool(readEnvironmentVariable('NETWORK_ISOLATION', 'false'))
param globalRateLimit = bool(readEnvironmentVariable('GLOBAL_RATE_LIMIT', 'false'))
param keyVaultName = readEnvironmentVariable('AZURE_KEY_VAULT_NAME', '')
// Always-ready HTTP instances (azd env set ALWAYS_READY_INSTANCES 1): no cold start for the first caller, billed
// while idle (docs/performance.md). 0 by default.
param alwaysReadyInstances = int(readEnvironmentVariable('ALWAYS_READY_INSTANCES', '0'))

// Exact origins of the web apps that call the endpoint, comma-separated as in local.settings.json's Host.CORS:
// `azd env set CORS_ALLOWED_ORIGINS https://app.example.com,https://admin.example.com`. Never '*'.
param corsAllowedOrigins = filter(map(split(readEnvironmentVariable('CORS_ALLOWED_ORIGINS', ''), ','), origin => trim(origin)), origin => !empty(origin))

// Caller authentication: an issuer and audience, or ALLOW_ANONYMOUS_CALLERS=true for an open endpoint on
// purpose. With neither, the deployment fails with the `azd env set` commands to run.
param callerAuthAuthority = readEnvironmentVariable('CALLER_AUTH_AUTHORITY', '')
param callerAuthAudiences = empty(readEnvironmentVariable('CALLER_AUTH_AUDIENCE', '')) ? [] : [readEnvironmentVariable('CALLER_AUTH_AUDIENCE', '')]
param allowAnonymousCallers = bool(readEnvironmentVariable('ALLOW_ANONYMOUS_CALLERS', 'false'))
