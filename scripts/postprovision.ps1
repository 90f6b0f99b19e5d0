# azd postprovision hook, PowerShell twin of postprovision.sh (same checks, same messages).
. "$PSScriptRoot/lib/Common.ps1"

$vault = $env:KEY_VAULT_NAME
if (-not $vault) { Stop-Hook 'KEY_VAULT_NAME is not set: run this hook through azd, after provisioning' }
$Subscription = Get-Subscription
$FinishHint = 'azd hooks run postprovision, then azd deploy (azd up stopped before deploying)'

function Test-HoldsPair([string[]] $Names) { ($Names -contains $ApiKeySecretName) -and ($Names -contains $ApiSecretSecretName) }

try {
    # An isolated vault is asked through Azure Resource Manager which secrets it holds (names only), so it is
    # opened only when something must be written.
    $probe = Invoke-VaultProbe $vault
    if ($probe.Kind -eq 'isolated' -and $env:AZURE_RESOURCE_GROUP) {
        $names = @(& az rest --method get --output tsv --query 'value[].name' `
                --url "/subscriptions/$Subscription/resourceGroups/$($env:AZURE_RESOURCE_GROUP)/providers/Microsoft.KeyVault/vaults/$vault/secrets?api-version=2025-05-01" |
            ForEach-Object { "$_".Trim() })
        if ($LASTEXITCODE -ne 0) { Stop-Hook "key vault: could not list the secrets of $vault through Azure Resource Manager" }
        $present = Test-HoldsPair $names
        if (-not $present) {
            Write-Output "key vault: $vault lacks the VideoSDK credentials; writing the key and secret as one pair"
            $credentials = Read-Credentials
            $null = Wait-Vault $vault $probe
        }
    }
    else {
        $names = Wait-Vault $vault $probe
        $present = Test-HoldsPair $names
        if (-not $present) {
            Write-Output "key vault: $vault lacks the VideoSDK credentials; writing the key and secret as one pair"
            $credentials = Read-Credentials
        }
    }
    if ($present) {
        Write-Output "key vault: $vault holds $ApiKeySecretName and $ApiSecretSecretName; nothing to write (rotate with scripts/rotate-videosdk-secret.ps1)"
        exit 0
    }
    Write-Credentials $vault $credentials
    Write-Output "key vault: wrote $ApiKeySecretName and $ApiSecretSecretName to $vault"
}
finally {
    Close-Vault
}
