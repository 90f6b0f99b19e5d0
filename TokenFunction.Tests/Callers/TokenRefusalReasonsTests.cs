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

    // By type name, so that each row is a test case of its own (an exception object is not serializable test data).
    public static TheoryData<string, string> Refusals => new()
    {
        { nameof(SecurityTokenNoExpirationException), "the token has no exp claim" },
        { nameof(SecurityTokenInvalidLifetimeException), "invalid lifetime (nbf/exp)" },
        { nameof(SecurityTokenInvalidAudienceException), "wrong audience: expected api://one or api://two" },
        { nameof(SecurityTokenInvalidIssuerException), "wrong issuer: expected the issuer published by https://login.example.com/tenant/v2.0" },
        { nameof(SecurityTokenInvalidAlgorithmException), $"signing algorithm not allowed: use one of {string.Join(", ", CallerTokenValidation.AllowedAlgorithms)}" },
        { nameof(SecurityTokenInvalidSignatureException), "bad or missing signature" },
        { nameof(SecurityTokenMalformedException), "malformed token: expected a signed JWT" },
        { nameof(ArgumentException), "malformed token: expected a signed JWT" },
        { nameof(SecurityTokenException), "the token could not be validated" },
        { "none", "the token could not be validated" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Each_refusal_has_its_own_phrase_built_from_our_settings_never_the_library_s_text(string failure, string reason) =>
        Assert.Equal(reason, TokenRefusalReasons.Describe(Failure(failure), Options));

    private static Exception? Failure(string type) => type switch
    {
        nameof(SecurityTokenNoExpirationException) => new SecurityTokenNoExpirationException("library text"),
        nameof(SecurityTokenInvalidLifetimeException) => new SecurityTokenInvalidLifetimeException("library text"),
        nameof(SecurityTokenInvalidAudienceException) => new SecurityTokenInvalidAudienceException("library text"),
        nameof(SecurityTokenInvalidIssuerException) => new SecurityTokenInvalidIssuerException("library text"),
        nameof(SecurityTokenInvalidAlgorithmException) => new SecurityTokenInvalidAlgorithmException("library text"),
        nameof(SecurityTokenInvalidSignatureException) => new SecurityTokenInvalidSignatureException("library text"),
        nameof(SecurityTokenMalformedException) => new SecurityTokenMalformedException("library text"),
        nameof(ArgumentException) => new ArgumentException("library text"),
        nameof(SecurityTokenException) => new SecurityTokenException("library text"),
        _ => null,
    };
}
