using TokenFunction.Problems;
using TokenFunction.VideoSdk;

namespace TokenFunction.Secrets;

/// <summary>The current signing credentials, from memory. Implementations never call a remote service per request.</summary>
public interface ISigningCredentialsProvider
{
    /// <summary>Completes synchronously once credentials are loaded; before the first load, joins the one shared fetch.</summary>
    ValueTask<CredentialsLookup> GetAsync(CancellationToken cancellationToken);

    CredentialsHealth GetHealth();
}

/// <summary>Either credentials, or why there are none and when to try again.</summary>
public sealed record CredentialsLookup(SigningCredentials? Credentials, string? UnavailableReason, TimeSpan RetryAfter)
{
    public static CredentialsLookup Available(SigningCredentials credentials) => new(credentials, null, TimeSpan.Zero);

    public static CredentialsLookup Unavailable(string reason, TimeSpan retryAfter) => new(null, reason, retryAfter);

    /// <summary>The 503 answer to a request that needed the credentials; <paramref name="cannot"/> says what cannot happen now.</summary>
    public ApiProblem Refusal(string cannot) =>
        new(ErrorCodes.SigningCredentialsUnavailable, $"{cannot} right now: {UnavailableReason} Retry later.") { RetryAfter = RetryAfter };
}

/// <summary>
/// What the health endpoint may reveal: whether signing works and since when, never a key, secret or version. Why
/// it does not is the log's (each failed read is an event with its cause), not the health answer's.
/// </summary>
public sealed record CredentialsHealth(bool Ready, string Source, DateTimeOffset? LoadedAt);
