using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace TokenFunction.Tests.TestInfrastructure;

/// <summary>
/// What an attacker does with a real provider's token: keeps its claims (right issuer, audience, subject,
/// lifetime) and replaces the part it cannot make, the signature.
/// </summary>
public static class TokenForgery
{
    /// <summary>One bit of the signature changed.</summary>
    public static string WithTamperedSignature(string token)
    {
        var parts = token.Split('.');
        var signature = Base64UrlEncoder.DecodeBytes(parts[2]);
        signature[0] ^= 0x01;
        return $"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(signature)}";
    }

    /// <summary><c>alg: none</c> and no signature.</summary>
    public static string WithoutSignature(string token) => $"{Header(token, "none")}.{Payload(token)}.";

    /// <summary>
    /// Algorithm confusion: HS256 keyed with the provider's public key set (which anyone can read) under the
    /// real key's kid, for a verifier that would take a published key as an HMAC secret.
    /// </summary>
    public static string SignedWithKeySetAsHmacSecret(string token, string keySetJson)
    {
        var signingInput = $"{Header(token, "HS256")}.{Payload(token)}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(keySetJson), Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64UrlEncoder.Encode(signature)}";
    }

    /// <summary>RS256 with a key the provider never published, under a kid of its own.</summary>
    public static string SignedWithUnpublishedKey(string token)
    {
        using var key = RSA.Create(2048);
        var header = Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "at+jwt", kid = "unpublished-" + Guid.NewGuid().ToString("N")[..8] }));
        var signingInput = $"{header}.{Payload(token)}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64UrlEncoder.Encode(signature)}";
    }

    /// <summary>The token's header with another algorithm, the kid kept.</summary>
    private static string Header(string token, string alg)
    {
        using var original = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.Split('.')[0]));
        var kid = original.RootElement.GetProperty("kid").GetString();
        return Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(new { alg, typ = "at+jwt", kid }));
    }

    private static string Payload(string token) => token.Split('.')[1];
}
