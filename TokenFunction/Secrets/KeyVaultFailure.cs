using System.Text.Json;
using Azure;
using Azure.Identity;

namespace TokenFunction.Secrets;

/// <summary>
/// Turns a failed vault read into one line an operator can act on. Built from status codes and error
/// codes only: exception messages may carry response content, which is not ours to log.
/// </summary>
internal static class KeyVaultFailure
{
    public const string ForbiddenByRbac = "ForbiddenByRbac";

    public static string Describe(Exception exception) => exception switch
    {
        RequestFailedException { Status: 403 } failure when InnerErrorCode(failure) == ForbiddenByRbac =>
            "Key Vault answered 403 ForbiddenByRbac: the app's identity has no 'Key Vault Secrets User' role on the secret yet. A new role assignment can take minutes to propagate; retrying.",
        RequestFailedException { Status: 403 } failure =>
            $"Key Vault answered 403 ({failure.ErrorCode ?? "Forbidden"}): the app's identity may not read this secret.",
        RequestFailedException { Status: 404 } =>
            "Key Vault answered 404: the secret does not exist (check the secret names in the KeyVault settings) or is not enabled.",
        RequestFailedException failure when failure.Status != 0 =>
            $"Key Vault answered {failure.Status} ({failure.ErrorCode ?? "no error code"}).",
        RequestFailedException =>
            "Key Vault could not be reached (network error).",
        AuthenticationFailedException or CredentialUnavailableException =>
            $"The managed identity (or developer) credential could not get a Key Vault token ({exception.GetType().Name}).",
        TimeoutException or InvalidDataException => exception.Message,
        // The SDK's retry policy wraps each failed try of a transport error; the last one says why.
        AggregateException { InnerExceptions: [.., var lastTry] } => Describe(lastTry),
        _ => $"Reading Key Vault failed ({exception.GetType().Name}).",
    };

    private static string? InnerErrorCode(RequestFailedException failure)
    {
        var content = failure.GetRawResponse()?.Content;
        if (content is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(content.ToMemory());
            return document.RootElement.TryGetProperty("error", out var error)
                   && error.TryGetProperty("innererror", out var inner)
                   && inner.TryGetProperty("code", out var code)
                ? code.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
