# PowerShell twin of rotate-videosdk-secret.sh: rotates the VideoSDK key and secret in Key Vault as one pair,
# with a new expiry; an isolated vault is opened to this machine for the write only.
. "$PSScriptRoot/lib/Common.ps1"

$vault = if ($env:KEY_VAULT_NAME) { $env:KEY_VAULT_NAME } else { & azd env get-value KEY_VAULT_NAME 2>$null }
if (-not $vault) { Stop-Hook 'which vault? set $env:KEY_VAULT_NAME=<vault name> (azd env get-value KEY_VAULT_NAME shows it)' }
if (-not $env:AZURE_SUBSCRIPTION_ID) { $env:AZURE_SUBSCRIPTION_ID = & azd env get-value AZURE_SUBSCRIPTION_ID 2>$null }
$Subscription = Get-Subscription
$FinishHint = 'run pwsh scripts/rotate-videosdk-secret.ps1 again; the vault still holds the old pair'

try {
    $credentials = Read-Credentials
    $null = Wait-Vault $vault
    Write-Credentials $vault $credentials
    Write-Output "key vault: $vault now holds the new pair ($ApiKeySecretName, $ApiSecretSecretName)."
    Write-Output 'Next: wait one KeyVault__RefreshInterval (5 minutes by default) so that every instance signs with the new pair.'
    Write-Output 'Then revoke the old pair in the VideoSDK dashboard, after Tokens__MaxTtlSeconds more (24 hours by default) if tokens already issued must keep working: revoking sooner cuts them off.'
}
finally {
    Close-Vault
}
