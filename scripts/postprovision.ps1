# azd postprovision hook, PowerShell twin of postprovision.sh (same checks, same messages).
. "$PSScriptRoot/lib/Common.ps1"

$vault = $env:KEY_VAULT_NAME
if (-not $vault) { Stop-Hook 'KEY_VAULT_NAME is not set: run this hook through azd, after provisioning' }
$rateLimitKey = $env:RATE_LIMIT_KEY_SECRET_NAME
$Subscription = Get-Subscription
if ($rateLimitKey) {
    $app = $env:FUNCTION_APP_NAME
    if (-not $app) { Stop-Hook 'FUNCTION_APP_NAME is not set: run this hook through azd, after provisioning' }
    $group = $env:AZURE_RESOURCE_GROUP
    if (-not $group) { Stop-Hook 'AZURE_RESOURCE_GROUP is not set: run this hook through azd, after provisioning' }
}
$FinishHint = 'azd hooks run postprovision, then azd deploy (azd up stopped before deploying)'

function Test-HoldsPair([string[]] $Names) { ($Names -contains $ApiKeySecretName) -and ($Names -contains $ApiSecretSecretName) }
function Test-HoldsRateLimitKey([string[]] $Names) { (-not $rateLimitKey) -or ($Names -contains $rateLimitKey) }

try {
    # An isolated vault is asked through Azure Resource Manager which secrets it holds (names only), so it is
    # opened only when something must be written.
    $probe = Invoke-VaultProbe $vault
    if ($probe.Kind -eq 'isolated' -and $env:AZURE_RESOURCE_GROUP) {
        $names = @(& az rest --method get --output tsv --query 'value[].name' `
                --url "/subscriptions/$Subscription/resourceGroups/$($env:AZURE_RESOURCE_GROUP)/providers/Microsoft.KeyVault/vaults/$vault/secrets?api-version=2025-05-01" |
            ForEach-Object { "$_".Trim() })
        if ($LASTEXITCODE -ne 0) { Stop-Hook "key vault: could not list the secrets of $vault through Azure Resource Manager" }
        $reachable = $false
    }
    else {
        $names = Wait-Vault $vault $probe
        $reachable = $true
    }

    $writePair = -not (Test-HoldsPair $names)
    $writeKey = -not (Test-HoldsRateLimitKey $names)
    if (-not $writePair -and -not $writeKey) {
        Write-Output "key vault: $vault holds $ApiKeySecretName and $ApiSecretSecretName; nothing to write (rotate with scripts/rotate-videosdk-secret.ps1)"
    }
    else {
        if ($writePair) {
            Write-Output "key vault: $vault lacks the VideoSDK credentials; writing the key and secret as one pair"
            $credentials = Read-Credentials
        }
        if (-not $reachable) { $null = Wait-Vault $vault $probe }
        if ($writePair) {
            Write-Credentials $vault $credentials
            Write-Output "key vault: wrote $ApiKeySecretName and $ApiSecretSecretName to $vault"
        }
        if ($writeKey) { Write-RateLimitKey $vault $rateLimitKey }
    }

    # The platform resolves Key Vault references when the app's configuration changes and then once a day
    # (postprovision.sh says why every run asks).
    if ($rateLimitKey) {
        $refreshUrl = "/subscriptions/$Subscription/resourceGroups/$group/providers/Microsoft.Web/sites/$app/config/configreferences/appsettings/refresh?api-version=2025-03-01"
        & az rest --method post --output none --url $refreshUrl
        if ($LASTEXITCODE -ne 0) {
            Stop-Hook "app settings: $app did not accept the request to resolve its Key Vault references; run: az rest --method post --url '$refreshUrl'"
        }
        Write-Output "app settings: $app resolves its Key Vault references again (RateLimit__Redis__KeySecret reads $rateLimitKey)"
    }
}
finally {
    Close-Vault
}
