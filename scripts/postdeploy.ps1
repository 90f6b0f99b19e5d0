# azd postdeploy hook, PowerShell twin of postdeploy.sh: the same smoke checks, one line each.
. "$PSScriptRoot/lib/Common.ps1"

$endpoint = $env:TOKEN_ENDPOINT_URL
if (-not $endpoint) { Stop-Hook 'TOKEN_ENDPOINT_URL is not set: run this hook through azd, after provisioning' }
$base = $endpoint -replace '/api/token$', ''
$timeout = if ($env:SMOKE_TIMEOUT_SECONDS) { [int]$env:SMOKE_TIMEOUT_SECONDS } else { 600 }
$interval = if ($env:SMOKE_INTERVAL_SECONDS) { [int]$env:SMOKE_INTERVAL_SECONDS } else { 10 }
$anonymous = "$env:ALLOW_ANONYMOUS_CALLERS".ToLowerInvariant() -eq 'true'

function Stop-Check([string] $Failure, [string] $Next) {
    Write-Output "FAIL  $Failure"
    Write-Output "next: $Next"
    exit 1
}

function Invoke-Endpoint([string] $Uri, [string] $Method = 'GET', [string] $Body) {
    try {
        $arguments = @{ Uri = $Uri; Method = $Method; SkipHttpErrorCheck = $true; TimeoutSec = 30 }
        if ($Body) { $arguments.Body = $Body; $arguments.ContentType = 'application/json' }
        return Invoke-WebRequest @arguments
    }
    catch {
        return [pscustomobject]@{ StatusCode = 0; Content = $_.Exception.Message; Headers = @{} }
    }
}

$started = Get-Date
while ($true) {
    $health = Invoke-Endpoint "$base/api/health"
    $waited = [int]((Get-Date) - $started).TotalSeconds
    if ($health.StatusCode -eq 200 -and "$($health.Content)" -match '"status":"healthy"') {
        Write-Output "ok    health: healthy after $waited s ($base/api/health)"
        break
    }
    if ($waited -ge $timeout) {
        $last = "$($health.Content)"
        Stop-Check "health: not healthy after $timeout s (last answer: HTTP $($health.StatusCode) $($last.Substring(0, [Math]::Min(300, $last.Length))))" `
            "if the reason names the credentials, set them (pwsh scripts/rotate-videosdk-secret.ps1) or wait for the role assignment and run: azd hooks run postdeploy; otherwise read the app's log in Application Insights $env:APPLICATION_INSIGHTS_NAME"
    }
    Start-Sleep -Seconds $interval
}

if ($anonymous) {
    $answer = Invoke-Endpoint $endpoint 'POST' '{}'
    if ($answer.StatusCode -ne 200) { Stop-Check "token: HTTP $($answer.StatusCode) $($answer.Content)" "look the problem's code up in docs/errors.md" }
    $payload = ((($answer.Content | ConvertFrom-Json).token -split '\.')[1]).Replace('_', '/').Replace('-', '+')
    $payload += '=' * ((4 - $payload.Length % 4) % 4)
    $claims = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($payload)) | ConvertFrom-Json
    foreach ($claim in 'apikey', 'permissions', 'version', 'exp', 'jti') {
        if (-not $claims.PSObject.Properties[$claim]) { Stop-Check "token: claims lack $claim" 'the deployed code is not this repository''s; redeploy with azd deploy' }
    }
    if ($claims.version -ne 2) { Stop-Check "token: version is $($claims.version), not 2" 'the deployed code is not this repository''s; redeploy with azd deploy' }
    $remaining = $claims.exp - [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
    if ($remaining -le 0) { Stop-Check "token: already expired (exp $($claims.exp))" "check the app host's clock and Tokens__DefaultTtlSeconds" }
    Write-Output "ok    token: HTTP 200, claims apikey, permissions, version 2, exp, jti; expires in $remaining s"
}
else {
    $answer = Invoke-Endpoint $endpoint
    $challenge = "$($answer.Headers['WWW-Authenticate'])"
    if ($answer.StatusCode -ne 401 -or $challenge -notmatch '^Bearer') {
        Stop-Check "auth: a request without a token got HTTP $($answer.StatusCode), not 401 with a Bearer challenge" 'check CALLER_AUTH_AUTHORITY and CALLER_AUTH_AUDIENCE (azd env get-values) and run azd provision'
    }
    Write-Output 'ok    auth: a request without a token gets 401 with a Bearer challenge'
}
