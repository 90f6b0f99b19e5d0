namespace TokenFunction.StandIns;

/// <summary>
/// A client registered at the real OpenID provider (client-credentials grant): its client id is the
/// token's <c>sub</c> unless <see cref="Overrides"/> says otherwise, and its tokens carry <see cref="Claims"/>.
/// </summary>
/// <param name="Claims">Added to every access token (the provider's <c>extraTokenClaims</c>).</param>
/// <param name="Overrides">Replace registered claims, <c>sub</c> included, with any JSON value (the provider's JWT customizer).</param>
/// <param name="Omit">Claims removed from the token.</param>
/// <param name="Lifetime">nbf and exp in seconds from now, for tokens outside their lifetime.</param>
public sealed record ProviderClient(
    string Id,
    object? Claims = null,
    object? Overrides = null,
    string[]? Omit = null,
    (int NotBefore, int Expires)? Lifetime = null)
{
    /// <summary>Test-only secret, derived from the id so no test has to carry it.</summary>
    public string Secret => "secret-of-" + Id;
}

/// <summary>The resource indicators the provider serves: each one is a token audience signed with one algorithm.</summary>
public static class ProviderResources
{
    public const string Rs256 = "api://videosdk-token-rs256";
    public const string Ps256 = "api://videosdk-token-ps256";
    public const string Es256 = "api://videosdk-token-es256";

    /// <summary>Another API of the same provider: its tokens are valid, just not meant for this app.</summary>
    public const string AnotherApi = "api://another-api";

    /// <summary>The audiences the app under test accepts (CallerAuth:Audiences).</summary>
    public static readonly string[] Accepted = [Rs256, Ps256, Es256];

    public static readonly IReadOnlyDictionary<string, string> Algorithms = new Dictionary<string, string>
    {
        [Rs256] = "RS256",
        [Ps256] = "PS256",
        [Es256] = "ES256",
        [AnotherApi] = "RS256",
    };
}
