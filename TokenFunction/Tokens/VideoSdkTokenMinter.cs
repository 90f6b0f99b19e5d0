using JWT;
using TokenFunction.Secrets;

namespace TokenFunction.Tokens;

/// <summary>Signs a <see cref="TokenGrant"/> as a VideoSDK access token (HS256, Jwt.Net).</summary>
/// <remarks>Thread-safe and allocation-lean: one encoder for the process, keyed per call, so a rotated secret takes effect at once.</remarks>
public sealed class VideoSdkTokenMinter(TimeProvider timeProvider)
{
    private static readonly string[] ClientRoles = [VideoSdkClaims.RtcRole];

    private readonly JwtEncoder _encoder =
        new(new HmacSha256JwtAlgorithm(), new SystemTextJsonJwtSerializer(), new JwtBase64UrlEncoder());

    public IssuedToken Mint(TokenGrant grant, SigningCredentials credentials)
    {
        // Whole seconds: VideoSDK and JWT libraries expect NumericDate integers, and exp - iat must equal the lifetime.
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(timeProvider.GetUtcNow().ToUnixTimeSeconds());
        var expiresAt = issuedAt + grant.Lifetime;
        var tokenId = RandomUuidGenerator.NewUuid().ToString("D");

        var claims = new VideoSdkClaims
        {
            ApiKey = credentials.ApiKey,
            Permissions = grant.Permissions,
            Roles = ClientRoles,
            RoomId = grant.RoomId,
            ParticipantId = grant.ParticipantId,
            IssuedAt = issuedAt.ToUnixTimeSeconds(),
            NotBefore = issuedAt.ToUnixTimeSeconds(),
            Expires = expiresAt.ToUnixTimeSeconds(),
            TokenId = tokenId,
        };

        var token = _encoder.Encode(null, claims, credentials.SecretBytes);
        return new IssuedToken(token, tokenId, issuedAt, expiresAt, grant);
    }
}
