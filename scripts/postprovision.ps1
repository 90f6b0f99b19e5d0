# azd postprovision hook, PowerShell twin of postprovision.sh (same checks, same messages).
. "$PSScriptRoot/lib/Common.ps1"

$vault = $env:KEY_VAULT_NAME
if (-not $vault) { Stop-Hook 'KEY_VAULT_NAME is not set: run this hook through azd, after provisioning' }
$attempts = if ($env:HOOK_RBAC_ATTEMPTS) { [int]$env:HOOK_RBAC_ATTEMPTS } else { 12 }
$delay = if ($env:HOOK_RBAC_DELAY_SECONDS) { [int]$env:HOOK_RBAC_DELAY_SECONDS } else { 10 }

for ($attempt = 1; ; $attempt++) {
    $names = & az keyvault secret list --vault-name $vault --query '[].name' --output tsv 2>&1
    if ($LASTEXITCODE -eq 0) { break }
    $errorText = "$names"
    if ($errorText -match 'ForbiddenByFirewall|Public network access is disabled|ForbiddenByConnection') {
        Write-Output "key vault: $vault accepts requests only from inside its virtual network (NETWORK_ISOLATION=true), so the credentials cannot be checked or set from here."
        Write-Output "From a machine inside that network, run:  `$env:KEY_VAULT_NAME='$vault'; pwsh scripts/rotate-videosdk-secret.ps1"
        Write-Output 'Until then the app reports unhealthy and issues no tokens.'
        exit 0
    }
    if ($errorText -notmatch 'Forbidden') {
        [Console]::Error.WriteLine($errorText)
        Stop-Hook "key vault: could not list the secrets of $vault"
    }
    if ($attempt -ge $attempts) {
        Stop-Hook "key vault: $vault still refuses to list secrets after $attempts attempts; you need the Key Vault Secrets Officer role on it (azd grants it to AZURE_PRINCIPAL_ID). Then run: azd hooks run postprovision"
    }
    Write-Output "key vault: role assignment not effective yet, retrying in $delay s ($attempt/$attempts)"
    Start-Sleep -Seconds $delay
}

$present = @($names | ForEach-Object { "$_".Trim() })
if ($present -contains $ApiKeySecretName -and $present -contains $ApiSecretSecretName) {
    Write-Output "key vault: $vault holds $ApiKeySecretName and $ApiSecretSecretName; nothing to write (rotate with scripts/rotate-videosdk-secret.ps1)"
    exit 0
}

Write-Output "key vault: $vault lacks the VideoSDK credentials; writing the key and secret as one pair"
Write-Credentials $vault (Read-Credentials)
Write-Output "key vault: wrote $ApiKeySecretName and $ApiSecretSecretName to $vault"
