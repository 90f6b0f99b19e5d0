using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using TokenFunction.Json;

namespace TokenFunction.Callers;

/// <summary>A caller token's header and payload, each read exactly once as one JSON object.</summary>
internal sealed class CallerTokenParts(StrictJsonRead header, StrictJsonRead payload) : IDisposable
{
    public JsonElement Header => header.Root;

    public JsonElement Payload => payload.Root;

    public void Dispose()
    {
        header.Dispose();
        payload.Dispose();
    }
}

/// <summary>
/// The compact JWS form (RFC 7515, 7.1) read exactly, before any key is looked up or claim used: exactly three
/// segments; each canonical base64url (RFC 4648, 5 and 3.5: no padding, nothing outside the alphabet, zero bits past
/// the data); the header and the payload each exactly one JSON object of strict UTF-8, white space around it
/// allowed and nothing else, every string of every member well-formed Unicode, no member name twice (RFC 7515, 4;
/// RFC 7519, 4). Microsoft.IdentityModel is lenient on each of these; a token that is not exact is refused rather
/// than read one way here and another way there.
/// </summary>
internal static class CallerTokenFormat
{
    /// <summary>Deep enough for any provider's nested claims (Keycloak's are four levels).</summary>
    public const int MaxJsonDepth = 32;

    /// <summary>Base64url's alphabet, each character at the index of the 6 bits it stands for.</summary>
    private const string AlphabetText = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static readonly SearchValues<char> Alphabet = SearchValues.Create(AlphabetText);

    /// <returns>The header and payload (dispose them), or null with <paramref name="refusal"/> saying what is not exact (never token content).</returns>
    public static CallerTokenParts? Read(string token, out string refusal)
    {
        var segments = token.Split('.');
        if (segments.Length != 3)
        {
            refusal = $"a JWT has exactly three segments separated by '.' (header.payload.signature); this one has {segments.Length}";
            return null;
        }

        refusal = CanonicalBase64UrlRefusal(segments[0], "header")
                  ?? CanonicalBase64UrlRefusal(segments[1], "payload")
                  ?? CanonicalBase64UrlRefusal(segments[2], "signature")
                  ?? string.Empty;
        if (refusal.Length > 0)
        {
            return null;
        }

        var header = ReadObject(segments[0], "header", out refusal);
        if (header is null)
        {
            return null;
        }

        var payload = ReadObject(segments[1], "payload", out refusal);
        if (payload is null)
        {
            header.Dispose();
            return null;
        }

        return new CallerTokenParts(header, payload);
    }

    private static string? CanonicalBase64UrlRefusal(string segment, string name)
    {
        var outside = segment.AsSpan().IndexOfAnyExcept(Alphabet);
        if (outside >= 0)
        {
            return segment[outside] == '='
                ? $"its {name} is base64url with '=' padding; JWTs use base64url without padding"
                : $"its {name} holds a character outside base64url's alphabet (A-Z a-z 0-9 - _)";
        }

        // Each character carries 6 bits: a last group of 2 characters ends in 4 bits past the data, of 3 in 2 bits.
        var unusedBits = (segment.Length % 4) switch { 0 => 0, 2 => 4, 3 => 2, _ => -1 };
        if (unusedBits < 0)
        {
            return $"its {name} has a length no base64url encoding has";
        }

        var last = unusedBits == 0 ? 0 : AlphabetText.IndexOf(segment[^1], StringComparison.Ordinal);
        return (last & ((1 << unusedBits) - 1)) != 0
            ? $"its {name} is not canonical base64url: its last character sets bits past the end of the data"
            : null;
    }

    private static StrictJsonRead? ReadObject(string segment, string name, out string refusal)
    {
        var read = StrictJson.ReadObject(Base64Url.DecodeFromChars(segment), MaxJsonDepth);
        refusal = read.Defect switch
        {
            StrictJsonDefect.None => StrictJson.NamesAMemberTwice(read.Root) ? $"its {name} names a member more than once" : null,
            StrictJsonDefect.NotUtf8 => $"its {name} is not valid UTF-8",
            StrictJsonDefect.NotJson => $"its {name} is not valid JSON (or is nested deeper than {MaxJsonDepth} levels)",
            StrictJsonDefect.DataAfterValue => $"its {name} has data after its JSON object",
            StrictJsonDefect.NotAnObject => $"its {name} is JSON but not a JSON object",
            _ => $"its {name} holds a string that is not well-formed Unicode (an escaped lone surrogate such as \\ud800)",
        } ?? string.Empty;
        if (refusal.Length == 0)
        {
            return read;
        }

        read.Dispose();
        return null;
    }
}
