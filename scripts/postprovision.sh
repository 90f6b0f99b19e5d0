#!/bin/sh
# azd postprovision hook: makes sure the vault holds the VideoSDK key and secret, asking for them (or taking
# VIDEOSDK_API_KEY / VIDEOSDK_API_SECRET from the process environment) only when one is missing. The values
# go straight into Key Vault: never into azd's environment, a deployment parameter, a command line or a log.
# With GLOBAL_RATE_LIMIT (main.bicep then outputs RATE_LIMIT_KEY_SECRET_NAME) the vault must also hold the shared
# rate limit's bucket-name key: a random value generated here when missing, after which the app is asked to resolve
# its Key Vault references again.
# With NETWORK_ISOLATION=true it opens the vault to this machine for the write only (lib/common.sh).
set -eu
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

vault=${KEY_VAULT_NAME:?KEY_VAULT_NAME is not set: run this hook through azd, after provisioning}
rate_limit_key=${RATE_LIMIT_KEY_SECRET_NAME:-}
require_subscription
if [ -n "$rate_limit_key" ]; then
    app=${FUNCTION_APP_NAME:?FUNCTION_APP_NAME is not set: run this hook through azd, after provisioning}
    group=${AZURE_RESOURCE_GROUP:?AZURE_RESOURCE_GROUP is not set: run this hook through azd, after provisioning}
fi
finish_hint="azd hooks run postprovision, then azd deploy (azd up stopped before deploying)"

has() { printf '%s\n' "$names" | grep -qx "$1"; }
holds_pair() { has "$API_KEY_SECRET_NAME" && has "$API_SECRET_SECRET_NAME"; }
holds_rate_limit_key() { [ -z "$rate_limit_key" ] || has "$rate_limit_key"; }

# An isolated vault is asked through Azure Resource Manager which secrets it holds (names only, no values), so
# it is opened only when something must be written.
probe_vault "$vault"
if [ "$probe" = isolated ] && [ -n "${AZURE_RESOURCE_GROUP:-}" ]; then
    names=$(az rest --method get --output tsv --query 'value[].name' \
        --url "/subscriptions/$subscription/resourceGroups/$AZURE_RESOURCE_GROUP/providers/Microsoft.KeyVault/vaults/$vault/secrets?api-version=2025-05-01") ||
        fail "key vault: could not list the secrets of $vault through Azure Resource Manager"
    reachable=false
else
    wait_for_vault "$vault" probed
    reachable=true
fi

write_pair=false
holds_pair || write_pair=true
write_key=false
holds_rate_limit_key || write_key=true
if [ "$write_pair" = false ] && [ "$write_key" = false ]; then
    say "key vault: $vault holds $API_KEY_SECRET_NAME and $API_SECRET_SECRET_NAME; nothing to write (rotate with scripts/rotate-videosdk-secret.sh)"
else
    if [ "$write_pair" = true ]; then
        say "key vault: $vault lacks the VideoSDK credentials; writing the key and secret as one pair"
        read_credentials
    fi
    [ "$reachable" = true ] || wait_for_vault "$vault" probed
    if [ "$write_pair" = true ]; then
        write_credentials "$vault"
        say "key vault: wrote $API_KEY_SECRET_NAME and $API_SECRET_SECRET_NAME to $vault"
    fi
    if [ "$write_key" = true ]; then
        write_rate_limit_key "$vault" "$rate_limit_key"
    fi
fi

# The platform resolves Key Vault references when the app's configuration changes and then once a day: the app
# must resolve a key written just now, or it would name its buckets with the reference's own text. Asked on every
# run, so that a run that wrote the key and stopped before this line is mended by the next.
if [ -n "$rate_limit_key" ]; then
    refresh_url="/subscriptions/$subscription/resourceGroups/$group/providers/Microsoft.Web/sites/$app/config/configreferences/appsettings/refresh?api-version=2025-03-01"
    az rest --method post --output none --url "$refresh_url" ||
        fail "app settings: $app did not accept the request to resolve its Key Vault references; run: az rest --method post --url '$refresh_url'"
    say "app settings: $app resolves its Key Vault references again (RateLimit__Redis__KeySecret reads $rate_limit_key)"
fi
