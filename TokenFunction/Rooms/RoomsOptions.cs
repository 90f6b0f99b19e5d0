namespace TokenFunction.Rooms;

/// <summary>Room management through VideoSDK's REST API: where it is, how the service authenticates to it, and who may create rooms.</summary>
public sealed class RoomsOptions
{
    public const string SectionName = "Rooms";

    /// <summary>
    /// VideoSDK's REST API. https only, except plain http to a loopback host (a local stand-in or proxy):
    /// the management token travels in a header and must not cross a network in clear text.
    /// </summary>
    public Uri VideoSdkBaseUrl { get; set; } = new("https://api.videosdk.live");

    /// <summary>Lifetime of the crawler token the service signs for its own REST calls; cached until shortly before it expires.</summary>
    public TimeSpan ManagementTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Anonymous mode only (no <c>CallerAuth:Authority</c>): whether callers may create rooms (POST /api/rooms).
    /// Off by default: anonymous callers are told apart only by address, so anyone who can reach the app could
    /// create rooms. With an authority, <see cref="CreatorRoles"/> decides instead.
    /// </summary>
    public bool AllowCreate { get; set; }

    /// <summary>
    /// Bearer mode only (<c>CallerAuth:Authority</c> set): the roles (values of <c>CallerAuth:RolesClaim</c>) whose
    /// holders may create rooms. Empty by default: nobody creates rooms until an operator names a role.
    /// </summary>
    public string[] CreatorRoles { get; set; } = [];

    /// <summary>Upper bound on one call to VideoSDK.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound on one room operation, retries included: no caller waits longer on VideoSDK.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(12);

    /// <summary>Bounds checked at start-up.</summary>
    public static readonly TimeSpan MinManagementTokenLifetime = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxManagementTokenLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(1);
}
