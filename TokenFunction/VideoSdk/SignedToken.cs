namespace TokenFunction.VideoSdk;

/// <summary>A signed VideoSDK token and the facts about it that may be logged. <see cref="ToString"/> is redacted: the token must never reach a log.</summary>
internal sealed record SignedToken(string Token, string TokenId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"SignedToken(jti: {TokenId}, expires: {ExpiresAt:O}, token redacted)";
}
