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

say() { printf '%s\n' "$*"; }
fail() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

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
        stty -echo
        trap 'stty echo' EXIT
        trap 'stty echo; exit 130' INT TERM
        IFS= read -r api_secret
        stty echo
        trap - EXIT INT TERM
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

# Writes api_key and api_secret to the vault as one pair. Each value goes through a file readable only by
# this user and removed afterwards (printf is a shell builtin: no process ever has a value in its arguments),
# and az answers only with the version id, so no value reaches a command line, the output or a log.
write_credentials() {
    vault=$1
    old_umask=$(umask)
    # Kept until the last write: a value file is never readable by anyone else, even if recreated.
    umask 077
    value_file=$(mktemp)
    trap 'rm -f "$value_file"' EXIT
    trap 'rm -f "$value_file"; exit 130' INT TERM

    printf '%s' "$api_key" > "$value_file"
    key_id=$(az keyvault secret set --vault-name "$vault" --name "$API_KEY_SECRET_NAME" \
        --file "$value_file" --encoding utf-8 --query id --output tsv) || { rm -f "$value_file"; umask "$old_umask"; return 1; }

    printf '%s' "$api_secret" > "$value_file"
    az keyvault secret set --vault-name "$vault" --name "$API_SECRET_SECRET_NAME" \
        --file "$value_file" --encoding utf-8 --tags "$KEY_VERSION_TAG=${key_id##*/}" \
        --query id --output tsv > /dev/null || { rm -f "$value_file"; umask "$old_umask"; return 1; }

    rm -f "$value_file"
    umask "$old_umask"
    trap - EXIT INT TERM
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
