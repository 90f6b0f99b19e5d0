namespace TokenFunction.Problems;

/// <summary>
/// The only reasons an anonymous <c>GET /api/health</c> gives for being unhealthy: fixed codes, documented in
/// docs/security.md and the API contract. The failure itself (backend, status, exception, bounds) goes to the log.
/// </summary>
internal static class HealthReasons
{
    /// <summary>The signing secret has never been loaded (or not since start).</summary>
    public const string CredentialsUnavailable = "credentials_unavailable";

    /// <summary>A secret was loaded, but refreshing it has failed for longer than the allowed staleness.</summary>
    public const string CredentialsStale = "credentials_stale";

    /// <summary>The identity provider's metadata could not be read at the last attempt, so no caller can be verified.</summary>
    public const string CallerAuthorityUnavailable = "caller_authority_unavailable";

    public static IReadOnlyList<string> All { get; } = [CredentialsUnavailable, CredentialsStale, CallerAuthorityUnavailable];
}
