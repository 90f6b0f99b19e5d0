using JWT;

namespace TokenFunction.VideoSdk;

/// <summary>Signs VideoSDK access tokens (HS256, Jwt.Net): client tokens for meetings, management tokens for the REST API.</summary>
/// <remarks>Thread-safe and allocation-lean: one encoder for the process, keyed per call, so a rotated secret takes effect at once.</remarks>
public sealed class VideoSdkTokenMinter(TimeProvider timeProvider)
{
    private static readonly string[] ClientRoles = [VideoSdkClaims.RtcRole];
    private static readonly string[] ManagementRoles = [VideoSdkClaims.CrawlerRole];

    /// <summary>
    /// VideoSDK requires a permissions claim on every token; a crawler token cannot join a meeting, so the
    /// least permission is enough and nothing more is granted.
    /// </summary>
    private static readonly string[] ManagementPermissions = [Permissions.AllowJoin];

    // Jwt.Net's encoder with three of its extension points filled by our own: why each, and what it saves, is
    // measured in docs/performance.md ("Minting one token").
    private readonly JwtEncoder _encoder =
        new(new HmacSha256JwtAlgorithm(), new SystemTextJsonJwtSerializer(), new Base64UrlCodec());

    /// <summary>
    /// A client token: role <c>rtc</c> only, so it can run a meeting but never call the REST API. It carries
    /// exactly the permissions, room and participant given; deciding them is the caller's business.
    /// </summary>
    internal SignedToken MintClientToken(
        IReadOnlyList<string> permissions, string? roomId, string? participantId, TimeSpan lifetime, SigningCredentials credentials) =>
        Sign(permissions, ClientRoles, roomId, participantId, lifetime, credentials);

    /// <summary>A server-side management token: role <c>crawler</c> only, for VideoSDK's REST API; never handed to a client.</summary>
    public ManagementToken MintManagementToken(TimeSpan lifetime, SigningCredentials credentials)
    {
        var signed = Sign(ManagementPermissions, ManagementRoles, null, null, lifetime, credentials);
        return new ManagementToken(signed.Token, signed.TokenId, signed.ExpiresAt, credentials);
    }

    private SignedToken Sign(
        IReadOnlyList<string> permissions, IReadOnlyList<string> roles, string? roomId, string? participantId,
        TimeSpan lifetime, SigningCredentials credentials)
    {
        // Whole seconds: VideoSDK and JWT libraries expect NumericDate integers, and exp - iat must equal the lifetime.
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(timeProvider.GetUtcNow().ToUnixTimeSeconds());
        var expiresAt = issuedAt + lifetime;
        var tokenId = Guid.NewGuid().ToString("D");

        var claims = new VideoSdkClaims
        {
            ApiKey = credentials.ApiKey,
            Permissions = permissions,
            Roles = roles,
            RoomId = roomId,
            ParticipantId = participantId,
            IssuedAt = issuedAt.ToUnixTimeSeconds(),
            NotBefore = issuedAt.ToUnixTimeSeconds(),
            Expires = expiresAt.ToUnixTimeSeconds(),
            TokenId = tokenId,
        };

        return new SignedToken(_encoder.Encode(null, claims, credentials.SecretBytes), tokenId, issuedAt, expiresAt);
    }
}
