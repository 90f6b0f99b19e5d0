# azd preprovision hook, PowerShell twin of preprovision.sh (same checks, same messages).
. "$PSScriptRoot/lib/Common.ps1"

$authority = "$env:CALLER_AUTH_AUTHORITY"
$audience = "$env:CALLER_AUTH_AUDIENCE"
$anonymous = "$env:ALLOW_ANONYMOUS_CALLERS".ToLowerInvariant() -eq 'true'
if ($authority) {
    if (-not $audience) { Stop-Hook 'CALLER_AUTH_AUTHORITY is set but CALLER_AUTH_AUDIENCE is not: azd env set CALLER_AUTH_AUDIENCE <audience>' }
    if ($anonymous) { Stop-Hook 'CALLER_AUTH_AUTHORITY and ALLOW_ANONYMOUS_CALLERS=true exclude each other: azd env set ALLOW_ANONYMOUS_CALLERS false' }
    Write-Output "caller authentication: bearer tokens from $authority for $audience"
}
elseif ($anonymous) {
    Write-Output 'caller authentication: none, on purpose (ALLOW_ANONYMOUS_CALLERS=true): anyone who can reach the endpoint gets tokens'
}
else {
    Stop-CallerAuthUndecided
}

if (-not $env:AZURE_PRINCIPAL_TYPE) {
    $principalType = if ((& az account show --query user.type --output tsv) -eq 'servicePrincipal') { 'ServicePrincipal' } else { 'User' }
    & azd env set AZURE_PRINCIPAL_TYPE $principalType
    Write-Output "deploying principal: $principalType (stored as AZURE_PRINCIPAL_TYPE)"
}

$vault = if ($env:AZURE_KEY_VAULT_NAME) { $env:AZURE_KEY_VAULT_NAME } else { "$env:KEY_VAULT_NAME" }
if ($vault) {
    $null = & az keyvault show --name $vault --query name --output tsv 2>$null
    if ($LASTEXITCODE -ne 0 -and (& az keyvault show-deleted --name $vault --query name --output tsv 2>$null)) {
        if ($env:KEY_VAULT_ON_DELETED -eq 'new') {
            $fresh = '{0}-{1:x4}' -f $vault.Substring(0, [Math]::Min(16, $vault.Length)), (Get-Random -Maximum 65536)
            & azd env set AZURE_KEY_VAULT_NAME $fresh
            Write-Output "key vault: $vault is soft-deleted and kept by purge protection; this deployment creates $fresh instead (stored as AZURE_KEY_VAULT_NAME); set the credentials again when asked"
        }
        else {
            if ($env:AZURE_RESOURCE_GROUP -and (& az group exists --name $env:AZURE_RESOURCE_GROUP) -ne 'true') {
                if (-not $env:AZURE_LOCATION) { Stop-Hook 'AZURE_LOCATION is not set' }
                & az group create --name $env:AZURE_RESOURCE_GROUP --location $env:AZURE_LOCATION --output none
            }
            & az keyvault recover --name $vault --output none
            if ($LASTEXITCODE -ne 0) { Stop-Hook "could not recover the soft-deleted key vault $vault; to use a new vault instead: azd env set KEY_VAULT_ON_DELETED new" }
            Write-Output "key vault: recovered the soft-deleted $vault with its secrets (to start from a new vault instead: azd env set KEY_VAULT_ON_DELETED new)"
        }
    }
}
