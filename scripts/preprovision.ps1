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

# The kind of principal the operator's role assignment goes to, derived for exactly the principal azd passes:
# AZURE_PRINCIPAL_ID when set (looked up by id), else azd's own sign-in (not az's). An AZURE_PRINCIPAL_TYPE you
# set wins (main.bicepparam prefers it over the derived OPERATOR_PRINCIPAL_TYPE).
$Subscription = Get-Subscription
$principalType = $null
if ($env:AZURE_PRINCIPAL_TYPE) {
    if ($env:AZURE_PRINCIPAL_TYPE -cnotin 'User', 'Group', 'ServicePrincipal') {
        Stop-Hook "AZURE_PRINCIPAL_TYPE is '$($env:AZURE_PRINCIPAL_TYPE)'; it must be User, Group or ServicePrincipal: azd env set AZURE_PRINCIPAL_TYPE <type>"
    }
    $who = if ($env:AZURE_PRINCIPAL_ID) { $env:AZURE_PRINCIPAL_ID } else { 'the account azd is signed in as' }
    Write-Output "operator principal: $who, a $($env:AZURE_PRINCIPAL_TYPE) (AZURE_PRINCIPAL_TYPE, as you set it)"
}
elseif ($env:AZURE_PRINCIPAL_ID) {
    foreach ($lookup in @(@('sp', '--id', 'ServicePrincipal'), @('user', '--id', 'User'), @('group', '--group', 'Group'))) {
        $answer = (@(& az ad $lookup[0] show $lookup[1] $env:AZURE_PRINCIPAL_ID --query id --output tsv 2>&1) | ForEach-Object { "$_" }) -join "`n"
        if ($LASTEXITCODE -eq 0) { $principalType = $lookup[2]; break }
        if ($answer -match 'does not exist|NotFound|not found') { continue }
        if ($answer -match 'Insufficient privileges|Authorization_RequestDenied|Forbidden') {
            Stop-Hook "the directory refused to look up the principal $($env:AZURE_PRINCIPAL_ID) (az is signed in without permission to read the directory, as pipelines often are), so its kind is unknown. Say it yourself: azd env set AZURE_PRINCIPAL_TYPE ServicePrincipal (or User, or Group)"
        }
        [Console]::Error.WriteLine($answer)
        Stop-Hook "could not look up the principal $($env:AZURE_PRINCIPAL_ID) in the directory; say its kind yourself: azd env set AZURE_PRINCIPAL_TYPE ServicePrincipal (or User, or Group)"
    }
    if (-not $principalType) {
        Stop-Hook "AZURE_PRINCIPAL_ID $($env:AZURE_PRINCIPAL_ID) is no user, service principal or group in the directory az is signed in to (another tenant?); check the id, or say its kind: azd env set AZURE_PRINCIPAL_TYPE User (or ServicePrincipal, or Group)"
    }
    Write-Output "operator principal: $($env:AZURE_PRINCIPAL_ID) (AZURE_PRINCIPAL_ID), a $principalType in the directory (stored as OPERATOR_PRINCIPAL_TYPE)"
}
else {
    $status = (@(& azd auth status --output json 2>$null) | ForEach-Object { "$_" }) -join "`n"
    $account = if ($LASTEXITCODE -eq 0 -and $status) { ($status | ConvertFrom-Json).type } else { $null }
    $principalType = switch ($account) { 'servicePrincipal' { 'ServicePrincipal' } 'user' { 'User' } default { $null } }
    if (-not $principalType) {
        Stop-Hook 'could not tell what azd is signed in as (azd auth status; azd 1.23 or later, as azure.yaml requires): sign in with azd auth login, or say it: azd env set AZURE_PRINCIPAL_TYPE User (or ServicePrincipal)'
    }
    Write-Output "operator principal: the account azd is signed in as, a $principalType (azd auth status; stored as OPERATOR_PRINCIPAL_TYPE)"
}
if ($principalType) {
    & azd env set OPERATOR_PRINCIPAL_TYPE $principalType
}

$vault = if ($env:AZURE_KEY_VAULT_NAME) { $env:AZURE_KEY_VAULT_NAME } else { "$env:KEY_VAULT_NAME" }
if ($vault) {
    $null = & az keyvault show --name $vault --query name --output tsv --subscription $Subscription 2>$null
    if ($LASTEXITCODE -ne 0 -and (& az keyvault show-deleted --name $vault --query name --output tsv --subscription $Subscription 2>$null)) {
        if ($env:KEY_VAULT_ON_DELETED -eq 'new') {
            $fresh = '{0}-{1:x4}' -f $vault.Substring(0, [Math]::Min(16, $vault.Length)), (Get-Random -Maximum 65536)
            & azd env set AZURE_KEY_VAULT_NAME $fresh
            Write-Output "key vault: $vault is soft-deleted and kept by purge protection; this deployment creates $fresh instead (stored as AZURE_KEY_VAULT_NAME); set the credentials again when asked"
        }
        else {
            if ($env:AZURE_RESOURCE_GROUP -and (Invoke-AzSub group exists --name $env:AZURE_RESOURCE_GROUP) -ne 'true') {
                if (-not $env:AZURE_LOCATION) { Stop-Hook 'AZURE_LOCATION is not set' }
                Invoke-AzSub group create --name $env:AZURE_RESOURCE_GROUP --location $env:AZURE_LOCATION --output none
            }
            Invoke-AzSub keyvault recover --name $vault --output none
            if ($LASTEXITCODE -ne 0) { Stop-Hook "could not recover the soft-deleted key vault $vault; to use a new vault instead: azd env set KEY_VAULT_ON_DELETED new" }
            Write-Output "key vault: recovered the soft-deleted $vault with its secrets (to start from a new vault instead: azd env set KEY_VAULT_ON_DELETED new)"
        }
    }
}
