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

        var result = handler.ValidateTokenAsync(token, parameters).GetAwaiter().GetResult();
        Assert.True(result.IsValid, $"independent verification failed: {result.Exception?.Message}");
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("HS256", jwt.Alg);
        Assert.Equal("JWT", jwt.Typ);

        var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload)).RootElement;
        return (jwt, payload);
    }
}
