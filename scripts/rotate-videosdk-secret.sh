#!/bin/sh
# Rotates the VideoSDK key and secret in Key Vault as one pair (usage: docs/deployment.md, "Rotating").
# The new pair comes from VIDEOSDK_API_KEY / VIDEOSDK_API_SECRET in the process environment or is asked
# for on the terminal; it is never an argument. The vault: KEY_VAULT_NAME, or azd's environment.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

vault=${KEY_VAULT_NAME:-$(azd env get-value KEY_VAULT_NAME 2> /dev/null || true)}
[ -n "$vault" ] || fail "which vault? export KEY_VAULT_NAME=<vault name> (azd env get-value KEY_VAULT_NAME shows it)"

read_credentials
write_credentials "$vault"
say "key vault: $vault now holds the new pair ($API_KEY_SECRET_NAME, $API_SECRET_SECRET_NAME)."
say "Next: wait one KeyVault__RefreshInterval (5 minutes by default) so that every instance signs with the new pair."
say "Then revoke the old pair in the VideoSDK dashboard, after Tokens__MaxTtlSeconds more (24 hours by default) if tokens already issued must keep working: revoking sooner cuts them off."
