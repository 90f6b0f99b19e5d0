#!/bin/sh
# azd postprovision hook: makes sure the vault holds the VideoSDK key and secret, asking for them (or taking
# VIDEOSDK_API_KEY / VIDEOSDK_API_SECRET from the process environment) only when one is missing. The values
# go straight into Key Vault: never into azd's environment, a deployment parameter, a command line or a log.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

vault=${KEY_VAULT_NAME:?KEY_VAULT_NAME is not set: run this hook through azd, after provisioning}
attempts=${HOOK_RBAC_ATTEMPTS:-12}
delay=${HOOK_RBAC_DELAY_SECONDS:-10}

# A role assignment made by this provision can take minutes to reach Key Vault: retry while it is refused.
attempt=1
errors_file=$(mktemp)
while ! names=$(az keyvault secret list --vault-name "$vault" --query '[].name' --output tsv 2> "$errors_file"); do
    error=$(cat "$errors_file")
    rm -f "$errors_file"
    case $error in
        *ForbiddenByFirewall* | *"Public network access is disabled"* | *ForbiddenByConnection*)
            say "key vault: $vault accepts requests only from inside its virtual network (NETWORK_ISOLATION=true), so the credentials cannot be checked or set from here."
            say "From a machine inside that network, run:  KEY_VAULT_NAME=$vault sh scripts/rotate-videosdk-secret.sh"
            say "Until then the app reports unhealthy and issues no tokens."
            exit 0 ;;
        *ForbiddenByRbac* | *Forbidden*)
            [ "$attempt" -lt "$attempts" ] ||
                fail "key vault: $vault still refuses to list secrets after $attempts attempts; you need the Key Vault Secrets Officer role on it (azd grants it to AZURE_PRINCIPAL_ID). Then run: azd hooks run postprovision"
            say "key vault: role assignment not effective yet, retrying in $delay s ($attempt/$attempts)"
            attempt=$((attempt + 1))
            sleep "$delay" ;;
        *) printf '%s\n' "$error" >&2
           fail "key vault: could not list the secrets of $vault" ;;
    esac
done
rm -f "$errors_file"

has() { printf '%s\n' "$names" | grep -qx "$1"; }
if has "$API_KEY_SECRET_NAME" && has "$API_SECRET_SECRET_NAME"; then
    say "key vault: $vault holds $API_KEY_SECRET_NAME and $API_SECRET_SECRET_NAME; nothing to write (rotate with scripts/rotate-videosdk-secret.sh)"
    exit 0
fi

say "key vault: $vault lacks the VideoSDK credentials; writing the key and secret as one pair"
read_credentials
write_credentials "$vault"
say "key vault: wrote $API_KEY_SECRET_NAME and $API_SECRET_SECRET_NAME to $vault"
