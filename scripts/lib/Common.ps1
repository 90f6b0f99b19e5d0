# Shared by the PowerShell twins of the azd hooks and of rotate-videosdk-secret.sh (dot-sourced, never run).
# Same rules as lib/common.sh: the key and secret are one pair, written key first, then the secret tagged
# with the key's version (apiKeyVersion), each value through a file only this user can read, both with an
# expiry; every az call names azd's subscription; an isolated vault is opened to this machine for the write
# only and closed again in a finally block (which Ctrl+C runs too).
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# The names infra/main.bicep gives the app (KeyVault__ApiKeySecretName, KeyVault__ApiSecretName): fixed, so
# the hooks cannot write a pair the app never reads.
$ApiKeySecretName = 'videosdk-api-key'
$ApiSecretSecretName = 'videosdk-api-secret'
$KeyVersionTag = 'apiKeyVersion'
$MinSecretBytes = 32

# Key Vault can take up to 10 minutes to honour a new role assignment (lib/common.sh cites the source).
$VaultWaitSeconds = 600
$VaultRetrySeconds = 10
$VaultProgressSeconds = 30

# What the user runs to finish when the wait times out; each script that waits sets its own.
$FinishHint = 'run this script again'
$script:VaultOpened = $false
$script:VaultAllowed = @()

function Stop-Hook([string] $Message) {
    [Console]::Error.WriteLine("ERROR: $Message")
    exit 1
}

function Stop-CallerAuthUndecided {
    [Console]::Error.WriteLine(@'
ERROR: Caller authentication is undecided. Decide who may get tokens before provisioning:
  azd env set CALLER_AUTH_AUTHORITY <issuer URL>     (e.g. https://login.microsoftonline.com/<tenant-id>/v2.0)
  azd env set CALLER_AUTH_AUDIENCE <audience>        (your API's client id or App ID URI)
or, to run an open endpoint on purpose (anyone who can reach it gets tokens):
  azd env set ALLOW_ANONYMOUS_CALLERS true
'@)
    exit 1
}

function Get-Subscription {
    if (-not $env:AZURE_SUBSCRIPTION_ID) {
        Stop-Hook 'AZURE_SUBSCRIPTION_ID is not set: run this through azd, or azd env set AZURE_SUBSCRIPTION_ID <subscription id> (azd env get-value AZURE_SUBSCRIPTION_ID shows the one azd uses)'
    }
    return $env:AZURE_SUBSCRIPTION_ID
}

# Every az call names the subscription azd deploys to, never the CLI's default one.
function Invoke-AzSub {
    & az @args --subscription $script:Subscription
}

# From VIDEOSDK_API_KEY / VIDEOSDK_API_SECRET in the process environment (CI), else asked, the secret hidden.
function Read-Credentials {
    if ($env:VIDEOSDK_API_KEY -and $env:VIDEOSDK_API_SECRET) {
        $key = $env:VIDEOSDK_API_KEY
        $secret = $env:VIDEOSDK_API_SECRET
    }
    elseif (-not [Console]::IsInputRedirected) {
        $key = Read-Host 'VideoSDK API key'
        $secret = [System.Net.NetworkCredential]::new('', (Read-Host 'VideoSDK API secret (input hidden)' -AsSecureString)).Password
    }
    else {
        Stop-Hook 'no terminal to ask for the VideoSDK key and secret: set $env:VIDEOSDK_API_KEY and $env:VIDEOSDK_API_SECRET in the shell that runs azd (never with azd env set, which stores them in plain text)'
    }
    if (-not $key) { Stop-Hook 'the VideoSDK API key is empty' }
    $bytes = [System.Text.Encoding]::UTF8.GetByteCount($secret)
    if ($bytes -lt $MinSecretBytes) {
        Stop-Hook "the VideoSDK API secret is $bytes bytes; VideoSDK secrets are at least $MinSecretBytes (was the key pasted in place of the secret?). Nothing was written."
    }
    return [pscustomobject]@{ Key = $key; Secret = $secret }
}

# VIDEOSDK_SECRET_EXPIRY_DAYS days from now (365 by default), UTC, ISO 8601.
function Get-ExpiryDate {
    $days = if ($env:VIDEOSDK_SECRET_EXPIRY_DAYS) { $env:VIDEOSDK_SECRET_EXPIRY_DAYS } else { '365' }
    if ($days -notmatch '^[0-9]+$' -or [int]$days -le 0) {
        Stop-Hook "VIDEOSDK_SECRET_EXPIRY_DAYS must be a whole number of days above 0, not '$days'"
    }
    return [DateTimeOffset]::UtcNow.AddDays([int]$days).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [Globalization.CultureInfo]::InvariantCulture)
}

# $Expires empty: no expiry.
function Set-VaultSecretFromFile([string] $Vault, [string] $Name, [string] $Value, [string] $Expires, [string[]] $Extra) {
    $file = [System.IO.Path]::GetTempFileName()
    $expiry = if ($Expires) { @('--expires', $Expires) } else { @() }
    try {
        if (-not $IsWindows) { [System.IO.File]::SetUnixFileMode($file, [System.IO.UnixFileMode]'UserRead, UserWrite') }
        [System.IO.File]::WriteAllText($file, $Value)
        $id = Invoke-AzSub keyvault secret set --vault-name $Vault --name $Name --file $file --encoding utf-8 @expiry @Extra --query id --output tsv
        if ($LASTEXITCODE -ne 0) { Stop-Hook "could not write $Name to $Vault" }
        return $id
    }
    finally {
        Remove-Item -LiteralPath $file -Force -ErrorAction SilentlyContinue
    }
}

function Write-Credentials([string] $Vault, $Credentials) {
    $expires = Get-ExpiryDate
    $keyId = Set-VaultSecretFromFile $Vault $ApiKeySecretName $Credentials.Key $expires @()
    $keyVersion = ($keyId.Trim() -split '/')[-1]
    $null = Set-VaultSecretFromFile $Vault $ApiSecretSecretName $Credentials.Secret $expires @('--tags', "$KeyVersionTag=$keyVersion")
    $days = if ($env:VIDEOSDK_SECRET_EXPIRY_DAYS) { $env:VIDEOSDK_SECRET_EXPIRY_DAYS } else { '365' }
    Write-Host "key vault: the pair expires on $expires (VIDEOSDK_SECRET_EXPIRY_DAYS=$days); rotate before then (scripts/rotate-videosdk-secret.ps1)"
}

# The shared rate limit's bucket-name key (RateLimit__Redis__KeySecret): 32 random bytes in base64, no expiry
# (lib/common.sh says why).
function Write-RateLimitKey([string] $Vault, [string] $Name) {
    $null = Set-VaultSecretFromFile $Vault $Name ([Convert]::ToBase64String([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(32))) '' @()
    Write-Output "key vault: wrote $Name to ${Vault}: a random key that names the shared rate limit's buckets"
}

# One `az keyvault secret list`: Kind ok, rbac, isolated, firewall or other; the names, or the error text; the
# client address a firewall refusal reports.
function Invoke-VaultProbe([string] $Vault) {
    $output = & az keyvault secret list --vault-name $Vault --query '[].name' --output tsv --subscription $script:Subscription 2>&1
    $succeeded = $LASTEXITCODE -eq 0
    $text = (@($output) | ForEach-Object { "$_" }) -join "`n"
    $kind = if ($succeeded) { 'ok' }
    elseif ($text -match 'ForbiddenByConnection|Public network access is disabled') { 'isolated' }
    elseif ($text -match 'ForbiddenByFirewall|Client address is not authorized') { 'firewall' }
    elseif ($text -match 'Forbidden') { 'rbac' }
    else { 'other' }
    $address = if ($text -match 'Client address: ([0-9][0-9.]*)') { $Matches[1] } else { '' }
    $names = if ($succeeded) { @(@($output) | ForEach-Object { "$_".Trim() } | Where-Object { $_ }) } else { @() }
    return [pscustomobject]@{ Kind = $kind; Names = $names; Text = $text; ClientAddress = $address }
}

# The vault's secret names once this machine may list them: waits up to $VaultWaitSeconds for what Azure has
# yet to put in effect, and opens an isolated vault. Pass the probe just made, if any.
function Wait-Vault([string] $Vault, $Probe = $null) {
    if (-not $Probe) { $Probe = Invoke-VaultProbe $Vault }
    $waited = 0
    $announced = $false
    # Messages go to the host, not the output: the names are this function's output.
    :wait while ($true) {
        switch ($Probe.Kind) {
            'ok' { return , $Probe.Names }
            'isolated' {
                if (-not $script:VaultOpened) {
                    Open-Vault $Vault
                    $Probe = Invoke-VaultProbe $Vault
                    continue wait
                }
                $missing = "public network access to $Vault, just enabled for this machine"
            }
            'firewall' {
                if (-not $script:VaultOpened) {
                    Stop-Hook "key vault: $Vault's firewall refuses this machine (client address $($Probe.ClientAddress)) and this script did not open it; allow that address (az keyvault network-rule add) or run from an allowed network"
                }
                Add-ClientAddress $Vault $Probe.ClientAddress
                $missing = "the firewall rule for $($Probe.ClientAddress) on $Vault"
            }
            'rbac' { $missing = "your Key Vault Secrets Officer role on $Vault (azd grants it to AZURE_PRINCIPAL_ID; Key Vault can take up to 10 minutes to honour it)" }
            default {
                [Console]::Error.WriteLine($Probe.Text)
                Stop-Hook "key vault: could not list the secrets of $Vault"
            }
        }
        if ($waited -ge $VaultWaitSeconds) {
            Stop-Hook "key vault: after $waited s still not in effect: $missing. To finish: $FinishHint"
        }
        if (-not $announced) {
            Write-Host "key vault: waiting for $missing (up to $VaultWaitSeconds s, retrying every $VaultRetrySeconds s)"
            $announced = $true
        }
        elseif ($waited % $VaultProgressSeconds -eq 0) {
            Write-Host "key vault: still waiting for $missing ($waited s of $VaultWaitSeconds s)"
        }
        Start-Sleep -Seconds $VaultRetrySeconds
        $waited += $VaultRetrySeconds
        $Probe = Invoke-VaultProbe $Vault
    }
}

function Open-Vault([string] $Vault) {
    # Marked open before the call: an interruption during it must still close the vault.
    $script:VaultOpened = $true
    $script:OpenedVault = $Vault
    Write-Host "key vault: $Vault accepts only its private endpoints (NETWORK_ISOLATION=true); opening it to this machine's public address for the write, and closing it again when this script ends, however it ends"
    Invoke-AzSub keyvault update --name $Vault --public-network-access Enabled --default-action Deny --output none
    if ($LASTEXITCODE -ne 0) { Stop-Hook "key vault: could not open $Vault to this machine" }
}

function Add-ClientAddress([string] $Vault, [string] $Address) {
    if ($script:VaultAllowed -contains $Address) { return }
    if ($Address -notmatch '^[0-9]+(\.[0-9]+){3}$') {
        Stop-Hook "key vault: $Vault did not report an IPv4 address for this machine; Key Vault's firewall takes IPv4 only. Write the pair from inside the virtual network: `$env:KEY_VAULT_NAME='$Vault'; pwsh scripts/rotate-videosdk-secret.ps1"
    }
    $script:VaultAllowed += $Address
    Invoke-AzSub keyvault network-rule add --name $Vault --ip-address $Address --output none
    if ($LASTEXITCODE -ne 0) { Stop-Hook "key vault: could not allow $Address on $Vault" }
    Write-Host "key vault: allowed $Address, the address $Vault sees for this machine, until this script ends"
}

# Called from every script's finally block: a no-op unless the script opened the vault.
function Close-Vault {
    if (-not $script:VaultOpened) { return }
    $script:VaultOpened = $false
    $vault = $script:OpenedVault
    $closed = $true
    Invoke-AzSub keyvault update --name $vault --public-network-access Disabled --default-action Deny --output none
    if ($LASTEXITCODE -ne 0) { $closed = $false }
    foreach ($address in $script:VaultAllowed) {
        Invoke-AzSub keyvault network-rule remove --name $vault --ip-address $address --output none
        if ($LASTEXITCODE -ne 0) { $closed = $false }
    }
    $allowed = $script:VaultAllowed -join ' '
    if ($closed) {
        Write-Host ("key vault: closed $vault again: public network access Disabled" + $(if ($allowed) { ", rule for $allowed removed" } else { '' }))
    }
    else {
        Stop-Hook "key vault: could not close $vault again. Close it now: az keyvault update --name $vault --public-network-access Disabled --subscription $($script:Subscription)$(if ($allowed) { " (and az keyvault network-rule remove --name $vault --ip-address <address> for $allowed)" })"
    }
}
