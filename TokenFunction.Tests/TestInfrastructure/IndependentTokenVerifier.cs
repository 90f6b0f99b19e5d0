using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TokenFunction.Tests.TestInfrastructure;

/// <summary>
/// Verifies issued tokens with Microsoft.IdentityModel, a library that shares no code with the signer
/// (Jwt.Net): signature, algorithm pinned to HS256, lifetime, and the raw claim JSON for exact types.
/// </summary>
public static class IndependentTokenVerifier
{
    public static (JsonWebToken Token, JsonElement Payload) Verify(string token, string secret, DateTimeOffset? now = null)
    {
        var result = Validate(token, secret, now);
        Assert.True(result.IsValid, $"independent verification failed: {result.Exception?.Message}");
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("HS256", jwt.Alg);
        Assert.Equal("JWT", jwt.Typ);

        var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload)).RootElement;
        return (jwt, payload);
    }

    /// <summary>Whether the token's signature and lifetime check out with <paramref name="secret"/> (e.g. the secret before a rotation).</summary>
    public static bool Verifies(string token, string secret) => Validate(token, secret, now: null).IsValid;

    private static TokenValidationResult Validate(string token, string secret, DateTimeOffset? now)
    {
        var handler = new JsonWebTokenHandler();
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            RequireExpirationTime = true,
            ValidateLifetime = now is null,
            RequireSignedTokens = true,
        };

        return handler.ValidateTokenAsync(token, parameters).GetAwaiter().GetResult();
    }
}
