#!/bin/sh
# azd postdeploy hook: a smoke check of the deployed endpoint, one line per check. Waits (bounded) for
# /api/health to report healthy (up to 10 minutes, as long as Key Vault may take to honour the app's role
# assignment); then, with
# anonymous callers, asks for one token and checks it; with caller authentication, checks that a request
# without a token gets the 401 challenge. Exits non-zero with the next step when a check fails.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

endpoint=${TOKEN_ENDPOINT_URL:?TOKEN_ENDPOINT_URL is not set: run this hook through azd, after provisioning}
base=${endpoint%/api/token}
timeout=${SMOKE_TIMEOUT_SECONDS:-600}
interval=${SMOKE_INTERVAL_SECONDS:-10}
anonymous=$(printf '%s' "${ALLOW_ANONYMOUS_CALLERS:-false}" | tr '[:upper:]' '[:lower:]')
body=$(mktemp)
headers=$(mktemp)
remove_answers() { rm -f "$body" "$headers"; }
on_exit remove_answers

check_failed() {
    say "FAIL  $1"
    say "next: $2"
    exit 1
}

# 1. Health, until healthy or the bound.
started=$(date +%s)
while :; do
    status=$(curl --silent --max-time 30 --output "$body" --write-out '%{http_code}' "$base/api/health" || true)
    waited=$(( $(date +%s) - started ))
    if [ "$status" = 200 ] && grep -q '"status":"healthy"' "$body"; then
        say "ok    health: healthy after ${waited} s ($base/api/health)"
        break
    fi
    if [ "$waited" -ge "$timeout" ]; then
        check_failed "health: not healthy after ${timeout} s (last answer: HTTP $status $(head -c 300 "$body"))" \
            "if the reason names the credentials, set them (sh scripts/rotate-videosdk-secret.sh) or wait for the role assignment and run: azd hooks run postdeploy; otherwise read the app's log in Application Insights ${APPLICATION_INSIGHTS_NAME:-}"
    fi
    sleep "$interval"
done

if [ "$anonymous" = true ]; then
    # 2a. One token, checked: status, the claims VideoSDK needs, and an expiry in the future.
    status=$(curl --silent --max-time 30 --output "$body" --write-out '%{http_code}' \
        --request POST --header 'Content-Type: application/json' --data '{}' "$endpoint" || true)
    [ "$status" = 200 ] || check_failed "token: HTTP $status $(head -c 300 "$body")" \
        "look the problem's code up in docs/errors.md"
    token=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$body")
    payload=$(printf '%s' "$token" | cut -d. -f2 | tr '_-' '/+')
    case $(( ${#payload} % 4 )) in 2) payload="$payload==" ;; 3) payload="$payload=" ;; esac
    claims=$(printf '%s' "$payload" | base64 -d 2> /dev/null || true)
    for claim in '"apikey":"[^"]' '"permissions":\[' '"version":2' '"exp":[0-9]' '"jti":"'; do
        printf '%s' "$claims" | grep -q "$claim" ||
            check_failed "token: claims lack $claim" "the deployed code is not this repository's; redeploy with azd deploy"
    done
    expiry=$(printf '%s' "$claims" | sed -n 's/.*"exp":\([0-9]*\).*/\1/p')
    remaining=$(( expiry - $(date +%s) ))
    [ "$remaining" -gt 0 ] || check_failed "token: already expired (exp $expiry)" "check the app host's clock and Tokens__DefaultTtlSeconds"
    say "ok    token: HTTP 200, claims apikey, permissions, version 2, exp, jti; expires in ${remaining} s"
else
    # 2b. Bearer mode: no token, no service; the challenge says how to authenticate.
    status=$(curl --silent --max-time 30 --dump-header "$headers" --output "$body" --write-out '%{http_code}' "$endpoint" || true)
    if [ "$status" != 401 ] || ! grep -qi '^www-authenticate: *bearer' "$headers"; then
        check_failed "auth: a request without a token got HTTP $status, not 401 with a Bearer challenge" \
            "check CALLER_AUTH_AUTHORITY and CALLER_AUTH_AUDIENCE (azd env get-values) and run azd provision"
    fi
    say "ok    auth: a request without a token gets 401 with a Bearer challenge"
fi
