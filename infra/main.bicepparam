// Parameters for both deployment paths. azd fills the AZURE_* values from its environment; for
// `az deployment group create`, export them first (see infra/README.md). Secrets are never written here.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'videosdk-token')
param operatorPrincipalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
param networkIsolation = bool(readEnvironmentVariable('NETWORK_ISOLATION', 'false'))

// Empty unless exported: the secrets are then set with `az keyvault secret set` after deployment.
param videoSdkApiKey = readEnvironmentVariable('VIDEOSDK_API_KEY', '')
param videoSdkApiSecret = readEnvironmentVariable('VIDEOSDK_API_SECRET', '')

// Exact origins of the web apps that call the endpoint, e.g. ['https://app.example.com']. Never '*'.
param corsAllowedOrigins = []

// Caller authentication (see the README: Caller authentication). With neither an authority nor ALLOW_ANONYMOUS_CALLERS=true
// the app refuses to start in Azure: an open token endpoint must be somebody's explicit decision.
param callerAuthAuthority = readEnvironmentVariable('CALLER_AUTH_AUTHORITY', '')
param callerAuthAudiences = empty(readEnvironmentVariable('CALLER_AUTH_AUDIENCE', '')) ? [] : [readEnvironmentVariable('CALLER_AUTH_AUDIENCE', '')]
param allowAnonymousCallers = bool(readEnvironmentVariable('ALLOW_ANONYMOUS_CALLERS', 'false'))
