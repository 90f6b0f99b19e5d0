using JWT;
using TokenFunction.Secrets;
using TokenFunction.VideoSdk;

namespace TokenFunction.Tokens.Jwt;

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

    private readonly JwtEncoder _encoder =
        new(new HmacSha256JwtAlgorithm(), new SystemTextJsonJwtSerializer(), new Base64UrlCodec());

    /// <summary>A client token: role <c>rtc</c> only, so it can run a meeting but never call the REST API.</summary>
    public IssuedToken Mint(TokenGrant grant, SigningCredentials credentials)
    {
        var signed = Sign(grant.Permissions, ClientRoles, grant.RoomId, grant.ParticipantId, grant.Lifetime, credentials);
        return new IssuedToken(signed.Token, signed.TokenId, signed.IssuedAt, signed.ExpiresAt, grant);
    }

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
        var tokenId = RandomUuidGenerator.NewUuid().ToString("D");

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

    private readonly record struct SignedToken(string Token, string TokenId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);
}
