#!/bin/sh
# azd preprovision hook: refuses an undecided caller authentication, records what kind of principal is
# deploying, and deals with a soft-deleted Key Vault whose name this environment reuses.
set -eu
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"

# 1. Who may call the endpoint must be somebody's decision (main.bicep refuses it too, with the same words).
authority=${CALLER_AUTH_AUTHORITY:-}
audience=${CALLER_AUTH_AUDIENCE:-}
anonymous=$(printf '%s' "${ALLOW_ANONYMOUS_CALLERS:-false}" | tr '[:upper:]' '[:lower:]')
if [ -n "$authority" ]; then
    [ -n "$audience" ] || fail "CALLER_AUTH_AUTHORITY is set but CALLER_AUTH_AUDIENCE is not: azd env set CALLER_AUTH_AUDIENCE <audience>"
    [ "$anonymous" != true ] || fail "CALLER_AUTH_AUTHORITY and ALLOW_ANONYMOUS_CALLERS=true exclude each other: azd env set ALLOW_ANONYMOUS_CALLERS false"
    say "caller authentication: bearer tokens from $authority for $audience"
elif [ "$anonymous" = true ]; then
    say "caller authentication: none, on purpose (ALLOW_ANONYMOUS_CALLERS=true): anyone who can reach the endpoint gets tokens"
else
    caller_auth_undecided
fi

# 2. The operator's role assignment needs the principal's kind; azd does not reliably say it. A pipeline
# signed in as a service principal would otherwise fail with a principal-type mismatch.
if [ -z "${AZURE_PRINCIPAL_TYPE:-}" ]; then
    case $(az account show --query user.type --output tsv) in
        servicePrincipal) principal_type=ServicePrincipal ;;
        *) principal_type=User ;;
    esac
    azd env set AZURE_PRINCIPAL_TYPE "$principal_type"
    say "deploying principal: $principal_type (stored as AZURE_PRINCIPAL_TYPE)"
fi

# 3. Purge protection keeps a deleted vault's name taken for 90 days. After `azd down`, the environment's
# vault name (KEY_VAULT_NAME, an output of the earlier provision) would collide: recover that vault with its
# secrets (the default), or with KEY_VAULT_ON_DELETED=new choose a fresh name.
vault=${AZURE_KEY_VAULT_NAME:-${KEY_VAULT_NAME:-}}
if [ -n "$vault" ] && ! az keyvault show --name "$vault" --query name --output tsv > /dev/null 2>&1; then
    if [ -n "$(az keyvault show-deleted --name "$vault" --query name --output tsv 2> /dev/null)" ]; then
        if [ "${KEY_VAULT_ON_DELETED:-recover}" = new ]; then
            suffix=$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')
            fresh="$(printf '%s' "$vault" | cut -c1-16)-$suffix"
            azd env set AZURE_KEY_VAULT_NAME "$fresh"
            say "key vault: $vault is soft-deleted and kept by purge protection; this deployment creates $fresh instead (stored as AZURE_KEY_VAULT_NAME); set the credentials again when asked"
        else
            # Recovery puts the vault back in its resource group, which azd down deleted too.
            if [ -n "${AZURE_RESOURCE_GROUP:-}" ] && [ "$(az group exists --name "$AZURE_RESOURCE_GROUP")" != true ]; then
                az group create --name "$AZURE_RESOURCE_GROUP" --location "${AZURE_LOCATION:?AZURE_LOCATION is not set}" --output none
            fi
            az keyvault recover --name "$vault" --output none ||
                fail "could not recover the soft-deleted key vault $vault; to use a new vault instead: azd env set KEY_VAULT_ON_DELETED new"
            say "key vault: recovered the soft-deleted $vault with its secrets (to start from a new vault instead: azd env set KEY_VAULT_ON_DELETED new)"
        fi
    fi
fi
