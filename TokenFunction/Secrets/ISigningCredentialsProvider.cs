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
}

/// <summary>What the health endpoint may reveal: whether signing works and why not, never a key, secret or version.</summary>
public sealed record CredentialsHealth(bool Ready, string Source, DateTimeOffset? LoadedAt, string? Reason);
