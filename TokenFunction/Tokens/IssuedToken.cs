using TokenFunction.VideoSdk;

namespace TokenFunction.Tokens;

/// <summary>A signed token and the facts about it that may be logged or returned (the token itself is never logged).</summary>
public sealed record IssuedToken(string Token, string TokenId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, TokenGrant Grant)
{
    /// <summary>Signs exactly what <paramref name="grant"/> holds, nothing more.</summary>
    internal static IssuedToken Mint(VideoSdkTokenMinter minter, TokenGrant grant, SigningCredentials credentials)
    {
        var signed = minter.MintClientToken(grant.Permissions, grant.RoomId, grant.ParticipantId, grant.Lifetime, credentials);
        return new IssuedToken(signed.Token, signed.TokenId, signed.IssuedAt, signed.ExpiresAt, grant);
    }

    public override string ToString() => $"IssuedToken(jti: {TokenId}, expires: {ExpiresAt:O}, token redacted)";
}
