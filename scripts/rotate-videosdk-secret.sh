#!/bin/sh
# Rotates the VideoSDK key and secret in Key Vault as one pair, with a new expiry (usage: docs/deployment.md,
# "Rotating"). The new pair comes from VIDEOSDK_API_KEY / VIDEOSDK_API_SECRET in the process environment or is
# asked for on the terminal; it is never an argument. The vault and subscription: KEY_VAULT_NAME and
# AZURE_SUBSCRIPTION_ID, or azd's environment. An isolated vault is opened to this machine for the write only.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

vault=${KEY_VAULT_NAME:-$(azd env get-value KEY_VAULT_NAME 2> /dev/null || true)}
[ -n "$vault" ] || fail "which vault? export KEY_VAULT_NAME=<vault name> (azd env get-value KEY_VAULT_NAME shows it)"
AZURE_SUBSCRIPTION_ID=${AZURE_SUBSCRIPTION_ID:-$(azd env get-value AZURE_SUBSCRIPTION_ID 2> /dev/null || true)}
require_subscription
finish_hint="run sh scripts/rotate-videosdk-secret.sh again; the vault still holds the old pair"

read_credentials
wait_for_vault "$vault"
write_credentials "$vault"
say "key vault: $vault now holds the new pair ($API_KEY_SECRET_NAME, $API_SECRET_SECRET_NAME)."
say "Next: wait one KeyVault__RefreshInterval (5 minutes by default) so that every instance signs with the new pair."
say "Then revoke the old pair in the VideoSDK dashboard, after Tokens__MaxTtlSeconds more (24 hours by default) if tokens already issued must keep working: revoking sooner cuts them off."
