#!/bin/sh
# azd preprovision hook: refuses an undecided caller authentication, derives what kind of principal the
# operator's role assignment goes to, and deals with a soft-deleted Key Vault whose name this environment
# reuses. Every az call names azd's subscription (AZURE_SUBSCRIPTION_ID).
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

# 2. The operator's role assignment (Key Vault Secrets Officer) names its principal's kind, and ARM refuses a
# wrong one. azd passes AZURE_PRINCIPAL_ID when set, else its own sign-in (not az's: the two may differ); the
# kind is derived for exactly that principal and stored as OPERATOR_PRINCIPAL_TYPE (main.bicepparam prefers an
# AZURE_PRINCIPAL_TYPE you set).
require_subscription
principal_type=
if [ -n "${AZURE_PRINCIPAL_TYPE:-}" ]; then
    case $AZURE_PRINCIPAL_TYPE in
        User | Group | ServicePrincipal) ;;
        *) fail "AZURE_PRINCIPAL_TYPE is '$AZURE_PRINCIPAL_TYPE'; it must be User, Group or ServicePrincipal: azd env set AZURE_PRINCIPAL_TYPE <type>" ;;
    esac
    say "operator principal: ${AZURE_PRINCIPAL_ID:-the account azd is signed in as}, a $AZURE_PRINCIPAL_TYPE (AZURE_PRINCIPAL_TYPE, as you set it)"
elif [ -n "${AZURE_PRINCIPAL_ID:-}" ]; then
    # Looked up by id; a pipeline's principal often may not read the directory.
    for kind in sp user group; do
        if [ "$kind" = group ]; then set -- --group; else set -- --id; fi
        if lookup=$(az ad "$kind" show "$@" "$AZURE_PRINCIPAL_ID" --query id --output tsv 2>&1); then
            case $kind in sp) principal_type=ServicePrincipal ;; user) principal_type=User ;; group) principal_type=Group ;; esac
            break
        fi
        case $lookup in
            *"does not exist"* | *NotFound* | *"not found"*) ;;
            *"Insufficient privileges"* | *Authorization_RequestDenied* | *Forbidden*)
                fail "the directory refused to look up the principal $AZURE_PRINCIPAL_ID (az is signed in without permission to read the directory, as pipelines often are), so its kind is unknown. Say it yourself: azd env set AZURE_PRINCIPAL_TYPE ServicePrincipal (or User, or Group)" ;;
            *) printf '%s\n' "$lookup" >&2
               fail "could not look up the principal $AZURE_PRINCIPAL_ID in the directory; say its kind yourself: azd env set AZURE_PRINCIPAL_TYPE ServicePrincipal (or User, or Group)" ;;
        esac
    done
    [ -n "$principal_type" ] ||
        fail "AZURE_PRINCIPAL_ID $AZURE_PRINCIPAL_ID is no user, service principal or group in the directory az is signed in to (another tenant?); check the id, or say its kind: azd env set AZURE_PRINCIPAL_TYPE User (or ServicePrincipal, or Group)"
    say "operator principal: $AZURE_PRINCIPAL_ID (AZURE_PRINCIPAL_ID), a $principal_type in the directory (stored as OPERATOR_PRINCIPAL_TYPE)"
else
    # azd's own sign-in, the principal azd passes when AZURE_PRINCIPAL_ID is unset.
    case $(azd auth status --output json 2> /dev/null || true) in
        *'"type": "servicePrincipal"'* | *'"type":"servicePrincipal"'*) principal_type=ServicePrincipal ;;
        *'"type": "user"'* | *'"type":"user"'*) principal_type=User ;;
        *) fail "could not tell what azd is signed in as (azd auth status; azd 1.23 or later, as azure.yaml requires): sign in with azd auth login, or say it: azd env set AZURE_PRINCIPAL_TYPE User (or ServicePrincipal)" ;;
    esac
    say "operator principal: the account azd is signed in as, a $principal_type (azd auth status; stored as OPERATOR_PRINCIPAL_TYPE)"
fi
if [ -n "$principal_type" ]; then
    azd env set OPERATOR_PRINCIPAL_TYPE "$principal_type"
fi

# 3. Purge protection keeps a deleted vault's name taken for 90 days. After `azd down`, the environment's
# vault name (KEY_VAULT_NAME, an output of the earlier provision) would collide: recover that vault with its
# secrets (the default), or with KEY_VAULT_ON_DELETED=new choose a fresh name.
vault=${AZURE_KEY_VAULT_NAME:-${KEY_VAULT_NAME:-}}
if [ -n "$vault" ] && ! az_sub keyvault show --name "$vault" --query name --output tsv > /dev/null 2>&1; then
    if [ -n "$(az_sub keyvault show-deleted --name "$vault" --query name --output tsv 2> /dev/null)" ]; then
        if [ "${KEY_VAULT_ON_DELETED:-recover}" = new ]; then
            suffix=$(od -An -N2 -tx1 /dev/urandom | tr -d ' \n')
            fresh="$(printf '%s' "$vault" | cut -c1-16)-$suffix"
            azd env set AZURE_KEY_VAULT_NAME "$fresh"
            say "key vault: $vault is soft-deleted and kept by purge protection; this deployment creates $fresh instead (stored as AZURE_KEY_VAULT_NAME); set the credentials again when asked"
        else
            # Recovery puts the vault back in its resource group, which azd down deleted too.
            if [ -n "${AZURE_RESOURCE_GROUP:-}" ] && [ "$(az_sub group exists --name "$AZURE_RESOURCE_GROUP")" != true ]; then
                az_sub group create --name "$AZURE_RESOURCE_GROUP" --location "${AZURE_LOCATION:?AZURE_LOCATION is not set}" --output none
            fi
            az_sub keyvault recover --name "$vault" --output none ||
                fail "could not recover the soft-deleted key vault $vault; to use a new vault instead: azd env set KEY_VAULT_ON_DELETED new"
            say "key vault: recovered the soft-deleted $vault with its secrets (to start from a new vault instead: azd env set KEY_VAULT_ON_DELETED new)"
        fi
    fi
fi
