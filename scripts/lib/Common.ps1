# Shared by the PowerShell twins of the azd hooks and of rotate-videosdk-secret.sh (dot-sourced, never run).
# Same rules as lib/common.sh: the key and secret are one pair, written key first, then the secret tagged
# with the key's version (apiKeyVersion), each value through a file only this user can read.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

# The names infra/main.bicep gives the app (KeyVault__ApiKeySecretName, KeyVault__ApiSecretName): fixed, so
# the hooks cannot write a pair the app never reads.
$ApiKeySecretName = 'videosdk-api-key'
$ApiSecretSecretName = 'videosdk-api-secret'
$KeyVersionTag = 'apiKeyVersion'
$MinSecretBytes = 32

function Stop-Hook([string] $Message) {
    [Console]::Error.WriteLine("ERROR: $Message")
    exit 1
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

function Set-VaultSecretFromFile([string] $Vault, [string] $Name, [string] $Value, [string[]] $Extra) {
    $file = [System.IO.Path]::GetTempFileName()
    try {
        if (-not $IsWindows) { [System.IO.File]::SetUnixFileMode($file, [System.IO.UnixFileMode]'UserRead, UserWrite') }
        [System.IO.File]::WriteAllText($file, $Value)
        $id = & az keyvault secret set --vault-name $Vault --name $Name --file $file --encoding utf-8 @Extra --query id --output tsv
        if ($LASTEXITCODE -ne 0) { Stop-Hook "could not write $Name to $Vault" }
        return $id
    }
    finally {
        Remove-Item -LiteralPath $file -Force -ErrorAction SilentlyContinue
    }
}

function Write-Credentials([string] $Vault, $Credentials) {
    $keyId = Set-VaultSecretFromFile $Vault $ApiKeySecretName $Credentials.Key @()
    $keyVersion = ($keyId.Trim() -split '/')[-1]
    $null = Set-VaultSecretFromFile $Vault $ApiSecretSecretName $Credentials.Secret @('--tags', "$KeyVersionTag=$keyVersion")
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
