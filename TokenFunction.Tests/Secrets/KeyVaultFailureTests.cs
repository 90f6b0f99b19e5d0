using Azure;
using Azure.Identity;
using TokenFunction.Secrets;

namespace TokenFunction.Tests.Secrets;

/// <summary>
/// What an operator reads about a failed vault read: the log line's cause (event 1003) and the failure counter's
/// class (<c>error.type</c>), for every kind of failure the read can end in.
/// </summary>
public sealed class KeyVaultFailureTests
{
    public static TheoryData<Exception, string, string> Failures => new()
    {
        { new RequestFailedException(403, "denied", "AccessDenied", null), "Key Vault answered 403 (AccessDenied): the app's identity may not read this secret.", "forbidden" },
        { new RequestFailedException(403, "denied"), "Key Vault answered 403 (Forbidden): the app's identity may not read this secret.", "forbidden" },
        { new RequestFailedException(404, "missing"), "Key Vault answered 404: the secret does not exist (check the secret names in the KeyVault settings) or is not enabled.", "not_found" },
        { new RequestFailedException(429, "slow down", "Throttled", null), "Key Vault answered 429 (Throttled).", "throttled" },
        { new RequestFailedException(499, "closed"), "Key Vault answered 499 (no error code).", "http_error" },
        { new RequestFailedException(500, "boom"), "Key Vault answered 500 (no error code).", "server_error" },
        { new RequestFailedException(503, "busy"), "Key Vault answered 503 (no error code).", "server_error" },
        { new RequestFailedException(400, "bad", "BadParameter", null), "Key Vault answered 400 (BadParameter).", "http_error" },
        { new RequestFailedException("connection reset"), "Key Vault could not be reached (network error).", "network" },
        { new AuthenticationFailedException("no token"), "The managed identity (or developer) credential could not get a Key Vault token (AuthenticationFailedException).", "credential" },
        { new CredentialUnavailableException("no identity"), "The managed identity (or developer) credential could not get a Key Vault token (CredentialUnavailableException).", "credential" },
        { new TimeoutException("Reading took longer than 00:00:10."), "Reading took longer than 00:00:10.", "timeout" },
        { new InvalidDataException("Key Vault secret 'x' is empty."), "Key Vault secret 'x' is empty.", "invalid_secret" },
        { new InvalidOperationException("details that are not ours to log"), "Reading Key Vault failed (InvalidOperationException).", "other" },
        // The SDK's retry policy wraps each failed try; the last one says why.
        { new AggregateException(new RequestFailedException("reset"), new RequestFailedException(503, "busy")), "Key Vault answered 503 (no error code).", "server_error" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Each_failure_has_a_cause_to_act_on_and_a_fixed_class_for_the_counter(Exception failure, string cause, string failureClass)
    {
        Assert.Equal(cause, KeyVaultFailure.Describe(failure));
        Assert.Equal(failureClass, KeyVaultFailure.Classify(failure));
    }
}
