namespace TokenFunction.Tokens;

/// <summary>A signed token and the facts about it that may be logged or returned (the token itself is never logged).</summary>
public sealed record IssuedToken(string Token, string TokenId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, TokenGrant Grant)
{
    public override string ToString() => $"IssuedToken(jti: {TokenId}, expires: {ExpiresAt:O}, token redacted)";
}
