using Microsoft.IdentityModel.Tokens;
using TokenFunction.Callers;

namespace TokenFunction.Tests.Callers;

/// <summary>
/// The phrase a refused caller gets for each way Microsoft.IdentityModel can refuse a token, including those a
/// real provider cannot be made to issue (no exp, an algorithm outside the allowed list).
/// </summary>
public sealed class TokenRefusalReasonsTests
{
    private static readonly CallerAuthOptions Options = new()
    {
        Authority = "https://login.example.com/tenant/v2.0",
        Audiences = ["api://one", "api://two"],
    };

    public static TheoryData<Exception?, string> Refusals => new()
    {
        { new SecurityTokenNoExpirationException("library text"), "the token has no exp claim" },
        { new SecurityTokenInvalidLifetimeException("library text"), "invalid lifetime (nbf/exp)" },
        { new SecurityTokenInvalidAudienceException("library text"), "wrong audience: expected api://one or api://two" },
        { new SecurityTokenInvalidIssuerException("library text"), "wrong issuer: expected the issuer published by https://login.example.com/tenant/v2.0" },
        { new SecurityTokenInvalidAlgorithmException("library text"), $"signing algorithm not allowed: use one of {string.Join(", ", CallerTokenValidation.AllowedAlgorithms)}" },
        { new SecurityTokenInvalidSignatureException("library text"), "bad or missing signature" },
        { new SecurityTokenMalformedException("library text"), "malformed token: expected a signed JWT" },
        { new ArgumentException("library text"), "malformed token: expected a signed JWT" },
        { new SecurityTokenException("library text"), "the token could not be validated" },
        { null, "the token could not be validated" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Each_refusal_has_its_own_phrase_built_from_our_settings_never_the_library_s_text(Exception? failure, string reason) =>
        Assert.Equal(reason, TokenRefusalReasons.Describe(failure, Options));
}
