#!/bin/sh
# azd postprovision hook: makes sure the vault holds the VideoSDK key and secret, asking for them (or taking
# VIDEOSDK_API_KEY / VIDEOSDK_API_SECRET from the process environment) only when one is missing. The values
# go straight into Key Vault: never into azd's environment, a deployment parameter, a command line or a log.
# With NETWORK_ISOLATION=true it opens the vault to this machine for the write only (lib/common.sh).
set -eu
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

vault=${KEY_VAULT_NAME:?KEY_VAULT_NAME is not set: run this hook through azd, after provisioning}
require_subscription
finish_hint="azd hooks run postprovision, then azd deploy (azd up stopped before deploying)"

has() { printf '%s\n' "$names" | grep -qx "$1"; }
holds_pair() { has "$API_KEY_SECRET_NAME" && has "$API_SECRET_SECRET_NAME"; }
nothing_to_write() {
    say "key vault: $vault holds $API_KEY_SECRET_NAME and $API_SECRET_SECRET_NAME; nothing to write (rotate with scripts/rotate-videosdk-secret.sh)"
    exit 0
}

# An isolated vault is asked through Azure Resource Manager which secrets it holds (names only, no values), so
# it is opened only when something must be written.
probe_vault "$vault"
if [ "$probe" = isolated ] && [ -n "${AZURE_RESOURCE_GROUP:-}" ]; then
    names=$(az rest --method get --output tsv --query 'value[].name' \
        --url "/subscriptions/$subscription/resourceGroups/$AZURE_RESOURCE_GROUP/providers/Microsoft.KeyVault/vaults/$vault/secrets?api-version=2025-05-01") ||
        fail "key vault: could not list the secrets of $vault through Azure Resource Manager"
    if holds_pair; then
        nothing_to_write
    fi
    say "key vault: $vault lacks the VideoSDK credentials; writing the key and secret as one pair"
    read_credentials
    wait_for_vault "$vault" probed
else
    wait_for_vault "$vault" probed
    if holds_pair; then
        nothing_to_write
    fi
    say "key vault: $vault lacks the VideoSDK credentials; writing the key and secret as one pair"
    read_credentials
fi
write_credentials "$vault"
say "key vault: wrote $API_KEY_SECRET_NAME and $API_SECRET_SECRET_NAME to $vault"
