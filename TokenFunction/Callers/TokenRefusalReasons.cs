using Microsoft.IdentityModel.Tokens;

namespace TokenFunction.Callers;

/// <summary>
/// Turns Microsoft.IdentityModel's validation exceptions into one phrase a client developer can act on.
/// Built from the exception type and our own configuration only: the library's messages may quote the token.
/// </summary>
internal static class TokenRefusalReasons
{
    public static string Describe(Exception? failure, CallerAuthOptions options) => failure switch
    {
        SecurityTokenExpiredException expired => $"expired at {expired.Expires:O}",
        SecurityTokenNotYetValidException notYet => $"not valid before {notYet.NotBefore:O}",
        SecurityTokenNoExpirationException => "the token has no exp claim",
        SecurityTokenInvalidLifetimeException => "invalid lifetime (nbf/exp)",
        SecurityTokenInvalidAudienceException => $"wrong audience: expected {string.Join(" or ", options.Audiences)}",
        SecurityTokenInvalidIssuerException => $"wrong issuer: expected the issuer published by {options.Authority}",
        SecurityTokenSignatureKeyNotFoundException => "unknown signing key: the authority does not publish the token's kid",
        SecurityTokenInvalidAlgorithmException => $"signing algorithm not allowed: use one of {string.Join(", ", CallerTokenValidation.AllowedAlgorithms)}",
        SecurityTokenInvalidSignatureException => "bad or missing signature",
        SecurityTokenMalformedException or ArgumentException => "malformed token: expected a signed JWT",
        _ => "the token could not be validated",
    };
}
