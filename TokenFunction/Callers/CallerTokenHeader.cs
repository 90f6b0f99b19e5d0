using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TokenFunction.Callers;

/// <summary>The header rules Microsoft.IdentityModel has no option for, checked before any key is looked up.</summary>
internal static class CallerTokenHeader
{
    /// <returns>Why the header is refused; null when it passes, or cannot be read (validation then says why).</returns>
    public static string? Refusal(string token)
    {
        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (Exception exception) when (exception is ArgumentException or SecurityTokenMalformedException)
        {
            return null;
        }

        // RFC 7515 §4.1.11: extensions a recipient does not understand must be refused. This service understands
        // none, so any crit is, whatever its value (even the empty or null ones the RFC forbids outright).
        if (HasCritical(jwt.EncodedHeader))
        {
            return "the header has 'crit': this service understands no JWS extension";
        }

        // Every mainstream provider names its key; without a kid the only way to verify is to try every published key.
        return string.IsNullOrEmpty(jwt.Kid) ? "the header has no kid: the authority's signing keys are chosen by kid" : null;
    }

    /// <summary>Read from the raw header, so a null or oddly escaped <c>crit</c> is seen as well.</summary>
    private static bool HasCritical(string encodedHeader)
    {
        // JsonWebToken parsed it already: an object, valid JSON.
        var reader = new Utf8JsonReader(Base64UrlEncoder.DecodeBytes(encodedHeader));
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("crit"))
            {
                return true;
            }

            reader.Read();
            reader.Skip();
        }

        return false;
    }
}
