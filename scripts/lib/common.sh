# shellcheck shell=sh
# Shared by the azd hooks and scripts/rotate-videosdk-secret.sh (sourced, never run).
#
# The VideoSDK key and secret are one pair: a token signed with a key and another key's secret is refused by
# VideoSDK. They are written as two Key Vault secrets, key first, then the secret tagged with the key's
# version (apiKeyVersion); the app reads the secret and then the key at that version, so it always holds a
# pair written together, whatever moment it reads at.

# The names infra/main.bicep gives the app (KeyVault__ApiKeySecretName, KeyVault__ApiSecretName): fixed, so
# the hooks cannot write a pair the app never reads.
API_KEY_SECRET_NAME=videosdk-api-key
API_SECRET_SECRET_NAME=videosdk-api-secret
KEY_VERSION_TAG=apiKeyVersion
MIN_SECRET_BYTES=32

# Key Vault can take up to 10 minutes to honour a new role assignment ("Known limits and performance",
# https://learn.microsoft.com/azure/key-vault/general/rbac-guide#known-limits-and-performance, read
# 2026-12-07): the hooks wait that long, retrying every 10 s and saying so every 30 s.
VAULT_WAIT_SECONDS=600
VAULT_RETRY_SECONDS=10
VAULT_PROGRESS_SECONDS=30

say() { printf '%s\n' "$*"; }
fail() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Cleanups that must run however the script ends: success, an error (set -e), or INT, TERM or HUP (a
# signal's trap exits, which runs the EXIT trap). Each is a function name, run last-registered first; further
# signals are ignored while they run, so a second Ctrl-C cannot cut a cleanup short.
cleanups=
on_exit() { cleanups="$1${cleanups:+ $cleanups}"; }
run_cleanups() {
    status=$?
    trap '' INT TERM HUP
    set +e
    for cleanup in $cleanups; do
        "$cleanup"
    done
    exit "$status"
}
trap run_cleanups EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Every az call names the subscription azd deploys to, never the CLI's default one (which may be another).
az_sub() { az "$@" --subscription "$subscription"; }

require_subscription() {
    subscription=${AZURE_SUBSCRIPTION_ID:-}
    [ -n "$subscription" ] ||
        fail "AZURE_SUBSCRIPTION_ID is not set: run this through azd, or azd env set AZURE_SUBSCRIPTION_ID <subscription id> (azd env get-value AZURE_SUBSCRIPTION_ID shows the one azd uses)"
}

# Sets api_key and api_secret: from VIDEOSDK_API_KEY / VIDEOSDK_API_SECRET in the process environment (CI),
# else asked on the terminal, the secret without echo. Never from azd's environment: that file is plain text.
read_credentials() {
    if [ -n "${VIDEOSDK_API_KEY:-}" ] && [ -n "${VIDEOSDK_API_SECRET:-}" ]; then
        api_key=$VIDEOSDK_API_KEY
        api_secret=$VIDEOSDK_API_SECRET
    elif [ -t 0 ]; then
        printf 'VideoSDK API key: ' >&2
        IFS= read -r api_key
        printf 'VideoSDK API secret (input hidden): ' >&2
        on_exit restore_echo
        echo_off=true
        stty -echo
        IFS= read -r api_secret
        restore_echo
        printf '\n' >&2
    else
        fail "no terminal to ask for the VideoSDK key and secret: export VIDEOSDK_API_KEY and VIDEOSDK_API_SECRET in the shell that runs azd (never with azd env set, which stores them in plain text)"
    fi
    [ -n "$api_key" ] || fail "the VideoSDK API key is empty"
    # Bytes, not characters: that is what HMAC-SHA256 keys on.
    secret_bytes=$(printf '%s' "$api_secret" | wc -c | tr -d ' ')
    [ "$secret_bytes" -ge "$MIN_SECRET_BYTES" ] ||
        fail "the VideoSDK API secret is $secret_bytes bytes; VideoSDK secrets are at least $MIN_SECRET_BYTES (was the key pasted in place of the secret?). Nothing was written."
}

restore_echo() {
    if [ "${echo_off:-false}" = true ]; then
        stty echo
        echo_off=false
    fi
}

# The pair's expiry date (UTC, ISO 8601), VIDEOSDK_SECRET_EXPIRY_DAYS days from now (365 by default): Azure
# Policy flags secrets without one, and the app reports the days left (docs/operate.md). Key Vault still serves
# an expired secret, so the date warns; it never takes tokens down.
expiry_date() {
    days=${VIDEOSDK_SECRET_EXPIRY_DAYS:-365}
    case $days in
        '' | *[!0-9]* | 0) fail "VIDEOSDK_SECRET_EXPIRY_DAYS must be a whole number of days above 0, not '$days'" ;;
    esac
    at=$(( $(date -u +%s) + days * 86400 ))
    # GNU date, then BSD date (macOS).
    date -u -d "@$at" +%Y-%m-%dT%H:%M:%SZ 2> /dev/null || date -u -r "$at" +%Y-%m-%dT%H:%M:%SZ
}

# Writes api_key and api_secret to the vault as one pair, both expiring on the same date. Each value goes
# through a file readable only by this user and removed afterwards (printf is a shell builtin: no process ever
# has a value in its arguments), and az answers only with the version id, so no value reaches a command line,
# the output or a log.
write_credentials() {
    vault=$1
    expires=$(expiry_date)
    old_umask=$(umask)
    # Kept until the last write: a value file is never readable by anyone else, even if recreated.
    umask 077
    value_file=$(mktemp)
    on_exit remove_value_file

    printf '%s' "$api_key" > "$value_file"
    key_id=$(az_sub keyvault secret set --vault-name "$vault" --name "$API_KEY_SECRET_NAME" \
        --file "$value_file" --encoding utf-8 --expires "$expires" --query id --output tsv)

    printf '%s' "$api_secret" > "$value_file"
    az_sub keyvault secret set --vault-name "$vault" --name "$API_SECRET_SECRET_NAME" \
        --file "$value_file" --encoding utf-8 --expires "$expires" --tags "$KEY_VERSION_TAG=${key_id##*/}" \
        --query id --output tsv > /dev/null

    remove_value_file
    umask "$old_umask"
    say "key vault: the pair expires on $expires (VIDEOSDK_SECRET_EXPIRY_DAYS=${VIDEOSDK_SECRET_EXPIRY_DAYS:-365}); rotate before then (scripts/rotate-videosdk-secret.sh)"
}

# Writes the shared rate limit's bucket-name key (RateLimit__Redis__KeySecret) as the secret $2: 32 random bytes in
# base64 (44 characters), from the system's random source straight into a file only this user can read, so the value
# is never in a variable, on a command line or in the output. No expiry: the key only keeps the cache's bucket names
# from telling whose they are; a new version merely starts every caller's bucket afresh.
write_rate_limit_key() {
    old_umask=$(umask)
    umask 077
    value_file=$(mktemp)
    on_exit remove_value_file
    head -c 32 /dev/urandom | base64 | tr -d '\n' > "$value_file"
    az_sub keyvault secret set --vault-name "$1" --name "$2" --file "$value_file" --encoding utf-8 --query id --output tsv > /dev/null
    remove_value_file
    umask "$old_umask"
    say "key vault: wrote $2 to $1: a random key that names the shared rate limit's buckets"
}

remove_value_file() {
    if [ -n "${value_file:-}" ]; then
        rm -f "$value_file"
        value_file=
    fi
}

# --- Reaching the vault ------------------------------------------------------------------------------------
#
# With NETWORK_ISOLATION=true the vault accepts only its private endpoints, and nothing inside the network
# exists to write from. The hooks therefore open it, for the write only, to the one public IPv4 address it sees
# this machine at: public network access Enabled with the firewall's default action Deny and a single IP rule
# (Key Vault firewall, https://learn.microsoft.com/azure/key-vault/general/network-security, read 2026-12-07:
# IPv4 only, public addresses only). The address comes from the vault's own refusal ("Client address: ..."), so
# no outside service is asked. Closing (public access Disabled, the rule removed) is registered before opening
# and runs on every exit: success, failure, INT, TERM, HUP. Only SIGKILL skips it; the next `azd provision`
# resets the vault's network rules to the template's (docs/deployment.md, "Network isolation").

vault_opened=false
vault_allowed=
# What the user runs to finish when the wait times out; each script that waits sets its own.
finish_hint="run this script again"

# One `az keyvault secret list`: sets probe (ok, rbac, isolated, firewall, other), probe_output (the names, or
# the error) and client_address (from a firewall refusal).
probe_vault() {
    errors=$(mktemp)
    if probe_output=$(az_sub keyvault secret list --vault-name "$1" --query '[].name' --output tsv 2> "$errors"); then
        probe=ok
    else
        probe_output=$(cat "$errors")
        case $probe_output in
            *ForbiddenByConnection* | *"Public network access is disabled"*) probe=isolated ;;
            *ForbiddenByFirewall* | *"Client address is not authorized"*) probe=firewall ;;
            *ForbiddenByRbac* | *Forbidden*) probe=rbac ;;
            *) probe=other ;;
        esac
    fi
    rm -f "$errors"
    client_address=$(printf '%s\n' "$probe_output" | sed -n 's/.*Client address: \([0-9][0-9.]*\).*/\1/p' | head -n 1)
}

# Lists the vault's secret names into names once this machine may, waiting up to VAULT_WAIT_SECONDS for what
# Azure has yet to put in effect, and opening an isolated vault (see above). With "probed" as second argument
# it starts from the probe just made. On time-out, one line says what is still missing and how to finish
# (finish_hint, set by the calling script).
wait_for_vault() {
    vault=$1
    [ "${2:-}" = probed ] || probe_vault "$vault"
    waited=0
    announced=false
    while :; do
        # shellcheck disable=SC2034 # names is read by the scripts that source this file
        case $probe in
            ok) names=$probe_output; return 0 ;;
            isolated)
                if [ "$vault_opened" = false ]; then
                    open_vault "$vault"
                    probe_vault "$vault"
                    continue
                fi
                missing="public network access to $vault, just enabled for this machine" ;;
            firewall)
                [ "$vault_opened" = true ] ||
                    fail "key vault: $vault's firewall refuses this machine (client address ${client_address:-unknown}) and this script did not open it; allow that address (az keyvault network-rule add) or run from an allowed network"
                allow_client_address "$vault" "$client_address"
                missing="the firewall rule for ${client_address} on $vault" ;;
            rbac) missing="your Key Vault Secrets Officer role on $vault (azd grants it to AZURE_PRINCIPAL_ID; Key Vault can take up to 10 minutes to honour it)" ;;
            *) printf '%s\n' "$probe_output" >&2
               fail "key vault: could not list the secrets of $vault" ;;
        esac
        if [ "$waited" -ge "$VAULT_WAIT_SECONDS" ]; then
            fail "key vault: after ${waited} s still not in effect: ${missing}. To finish: ${finish_hint}"
        fi
        if [ "$announced" = false ]; then
            say "key vault: waiting for ${missing} (up to ${VAULT_WAIT_SECONDS} s, retrying every ${VAULT_RETRY_SECONDS} s)"
            announced=true
        elif [ $((waited % VAULT_PROGRESS_SECONDS)) -eq 0 ]; then
            say "key vault: still waiting for ${missing} (${waited} s of ${VAULT_WAIT_SECONDS} s)"
        fi
        sleep "$VAULT_RETRY_SECONDS"
        waited=$((waited + VAULT_RETRY_SECONDS))
        probe_vault "$vault"
    done
}

open_vault() {
    # Registered, and marked open, before the call: a signal during it must still close the vault.
    on_exit close_vault
    vault_opened=true
    say "key vault: $vault accepts only its private endpoints (NETWORK_ISOLATION=true); opening it to this machine's public address for the write, and closing it again when this script ends, however it ends"
    az_sub keyvault update --name "$1" --public-network-access Enabled --default-action Deny --output none
}

allow_client_address() {
    case " $vault_allowed " in
        *" $2 "*) return 0 ;;
    esac
    case $2 in
        '' | *[!0-9.]*) fail "key vault: $1 did not report an IPv4 address for this machine; Key Vault's firewall takes IPv4 only. Write the pair from inside the virtual network: KEY_VAULT_NAME=$1 sh scripts/rotate-videosdk-secret.sh" ;;
    esac
    vault_allowed="${vault_allowed:+$vault_allowed }$2"
    az_sub keyvault network-rule add --name "$1" --ip-address "$2" --output none
    say "key vault: allowed $2, the address $1 sees for this machine, until this script ends"
}

close_vault() {
    if [ "$vault_opened" != true ]; then
        return 0
    fi
    vault_opened=false
    closed=true
    az_sub keyvault update --name "$vault" --public-network-access Disabled --default-action Deny --output none || closed=false
    for address in $vault_allowed; do
        az_sub keyvault network-rule remove --name "$vault" --ip-address "$address" --output none || closed=false
    done
    if [ "$closed" = true ]; then
        say "key vault: closed $vault again: public network access Disabled${vault_allowed:+, rule for $vault_allowed removed}"
    else
        printf 'ERROR: key vault: could not close %s again. Close it now: az keyvault update --name %s --public-network-access Disabled --subscription %s%s\n' \
            "$vault" "$vault" "$subscription" "${vault_allowed:+ (and az keyvault network-rule remove --name $vault --ip-address <address> for $vault_allowed)}" >&2
        status=1
    fi
}

# The message both the hook and main.bicep give when nobody decided who may call the endpoint.
caller_auth_undecided() {
    cat >&2 <<'MESSAGE'
ERROR: Caller authentication is undecided. Decide who may get tokens before provisioning:
  azd env set CALLER_AUTH_AUTHORITY <issuer URL>     (e.g. https://login.microsoftonline.com/<tenant-id>/v2.0)
  azd env set CALLER_AUTH_AUDIENCE <audience>        (your API's client id or App ID URI)
or, to run an open endpoint on purpose (anyone who can reach it gets tokens):
  azd env set ALLOW_ANONYMOUS_CALLERS true
MESSAGE
    exit 1
}
