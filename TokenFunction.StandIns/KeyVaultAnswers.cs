using System.Net;
using Microsoft.AspNetCore.Http;

namespace TokenFunction.StandIns;

/// <summary>The response shapes Azure Key Vault uses on the wire, for <see cref="KeyVaultStandIn"/>.</summary>
internal static class KeyVaultAnswers
{
    public static Task SecretAsync(HttpContext context, Uri vaultUri, string name, StoredSecret secret)
    {
        var created = secret.Created.ToUnixTimeSeconds();
        var attributes = new Dictionary<string, object>
        {
            ["enabled"] = true, ["created"] = created, ["updated"] = created, ["recoveryLevel"] = "Recoverable+Purgeable", ["recoverableDays"] = 90,
        };
        // exp, like nbf, is absent unless set. Key Vault still serves a secret past its exp ("A secret's get
        // operation will work for not-yet-valid and expired secrets",
        // https://learn.microsoft.com/azure/key-vault/secrets/about-secrets#date-time-controlled-operations).
        if (secret.ExpiresOn is { } expiresOn)
        {
            attributes["exp"] = expiresOn.ToUnixTimeSeconds();
        }
        return context.Response.WriteAsJsonAsync(new
        {
            value = secret.Value,
            id = new Uri(vaultUri, $"secrets/{name}/{secret.Version}").ToString(),
            attributes,
            tags = secret.Tags,
        });
    }

    /// <summary>401 with the challenge the SDK reads its tenant and token scope from.</summary>
    public static Task ChallengeAsync(HttpContext context, string tenantId, string resource, string message)
    {
        context.Response.Headers.WWWAuthenticate =
            $"Bearer authorization=\"https://login.microsoftonline.com/{tenantId}\", resource=\"{resource}\"";
        return ErrorAsync(context, HttpStatusCode.Unauthorized, "Unauthorized", message);
    }

    /// <summary>What Key Vault answers while the app's role assignment has not propagated yet.</summary>
    public static Task ForbiddenByRbacAsync(HttpContext context, string name)
    {
        context.Response.StatusCode = (int)HttpStatusCode.Forbidden;
        return context.Response.WriteAsJsonAsync(new
        {
            error = new
            {
                code = "Forbidden",
                message = "Caller is not authorized to perform action on resource. If role assignments, deny assignments or role definitions were changed recently, please observe propagation time. "
                          + $"Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action' Resource: 'secrets/{name}'",
                innererror = new { code = "ForbiddenByRbac" },
            },
        });
    }

    public static Task ErrorAsync(HttpContext context, HttpStatusCode status, string code, string message)
    {
        context.Response.StatusCode = (int)status;
        return context.Response.WriteAsJsonAsync(new { error = new { code, message } });
    }
}
