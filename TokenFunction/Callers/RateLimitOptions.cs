namespace TokenFunction.Callers;

/// <summary>
/// A token bucket per caller: up to <see cref="Burst"/> requests at once, refilled by
/// <see cref="TokensPerPeriod"/> every <see cref="ReplenishmentPeriod"/>. Kept in each instance's memory (with N
/// instances a caller can get up to N times the rate) unless <see cref="Redis"/> names a cache they all share.
/// </summary>
internal sealed class RateLimitOptions
{
    public const string SectionName = "RateLimit";

    /// <summary>The bucket size: how many requests a caller may make in a quick burst.</summary>
    public int Burst { get; set; } = 10;

    public int TokensPerPeriod { get; set; } = 10;

    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Reverse proxies of your own in front of the app (Front Door, API Management, Application Gateway).
    /// The platform's front end appends the address it saw to X-Forwarded-For; each proxy before it appends one
    /// too. The client address is read this many entries left of the last one; entries further left are
    /// whatever the client sent and are never trusted.
    /// </summary>
    public int TrustedProxyHops { get; set; }

    /// <summary>One bucket per caller for every instance, in Redis; unset: each instance's own memory.</summary>
    public SharedRateLimitOptions Redis { get; set; } = new();
}
