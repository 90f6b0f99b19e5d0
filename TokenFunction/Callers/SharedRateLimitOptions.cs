namespace TokenFunction.Callers;

/// <summary>
/// Where the callers' buckets live when they are shared by every instance (section <c>RateLimit:Redis</c>).
/// Without <see cref="Host"/> each instance keeps its own buckets in memory.
/// </summary>
internal sealed class SharedRateLimitOptions
{
    public const string SectionName = $"{RateLimitOptions.SectionName}:Redis";

    /// <summary>Redis's host name; empty: no shared limit.</summary>
    public string? Host { get; set; }

    /// <summary>Redis's own default; Azure Managed Redis listens on 10000.</summary>
    public int Port { get; set; } = 6379;

    /// <summary>Plain TCP only to a loopback host: elsewhere the password (or Entra token) would travel in clear.</summary>
    public bool UseTls { get; set; } = true;

    public SharedRateLimitAuthentication Authentication { get; set; } = SharedRateLimitAuthentication.None;

    /// <summary>For <see cref="SharedRateLimitAuthentication.Password"/>: an ACL user; empty: Redis's <c>default</c> user.</summary>
    public string? User { get; set; }

    /// <summary>For <see cref="SharedRateLimitAuthentication.Password"/>.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// The HMAC key that turns a caller's rate-limit key (participant id or address) into its bucket's name, the
    /// same on every instance; whoever reads the cache cannot tell whose bucket is whose without it.
    /// </summary>
    public string? KeySecret { get; set; }

    /// <summary>
    /// Put before every bucket's name, so deployments can share one cache; empty: the app's site name and its
    /// Functions environment (<c>WEBSITE_SITE_NAME</c>:<c>AZURE_FUNCTIONS_ENVIRONMENT</c>).
    /// </summary>
    public string? KeyPrefix { get; set; }

    /// <summary>The bound on one check; past it (or on any failure) the instance falls back to its own buckets.</summary>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>While fallen back, how often one request tries Redis again.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>How the app signs in to Redis.</summary>
internal enum SharedRateLimitAuthentication
{
    /// <summary>No AUTH (a loopback Redis, or one that needs none).</summary>
    None,

    /// <summary><see cref="SharedRateLimitOptions.User"/> and <see cref="SharedRateLimitOptions.Password"/>.</summary>
    Password,

    /// <summary>
    /// A Microsoft Entra token of the app's identity (the one that reads the vault) as the password, the identity's
    /// object id as the user (Azure Managed Redis); renewed before it expires.
    /// </summary>
    EntraId,
}
