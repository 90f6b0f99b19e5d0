namespace TokenFunction.VideoSdk;

/// <summary>
/// A signed management (crawler) token for VideoSDK's REST API, and the credentials it was signed with, so a
/// cache can tell when a rotated secret makes it stale. <see cref="ToString"/> is redacted: it must never reach a log.
/// </summary>
public sealed record ManagementToken(string Token, string TokenId, DateTimeOffset ExpiresAt, SigningCredentials SignedWith)
{
    public override string ToString() => $"ManagementToken(jti: {TokenId}, expires: {ExpiresAt:O}, token redacted)";
}
