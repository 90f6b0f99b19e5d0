using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using TokenFunction.Tests.Http;

namespace TokenFunction.Tests.Callers;

/// <summary>Who signs the corpus: a key the app under test trusts, its kid, and the issuer and audience the app accepts.</summary>
public sealed record CallerTokenSigner(string Kid, RSA Key, string Issuer, string Audience)
{
    public byte[] Sign(string signingInput) =>
        Key.SignData(Encoding.UTF8.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
}

/// <summary>
/// One token of the corpus: how to make it with a signer, and the words its refusal must hold (null: it is exact and
/// must be accepted). <paramref name="Class"/> is its defect class, as docs/security.md counts them.
/// </summary>
public sealed record CallerTokenCase(string Name, string Class, string? Reason, Func<CallerTokenSigner, string> Make)
{
    public override string ToString() => Name;
}

/// <summary>
/// Caller tokens that are validly signed (RS256, by a key the app trusts, with the right issuer, audience and lifetime)
/// and still not exact: every segment crossed with every defect of its encoding (segments, base64url) and of its JSON
/// (one object and nothing after it, strict UTF-8, well-formed Unicode in every string wherever it stands, no member
/// twice). Each must be refused 401 <c>caller_token_invalid</c> naming the defect; the canonical control and its
/// variants with white space around and inside the JSON (valid JSON) must be accepted.
/// </summary>
public static class CallerTokenCorpus
{
    public const string Subject = "corpus-subject";

    public const string Accepted = "accepted (canonical, or insignificant white space)";
    public const string SegmentCount = "segment count";
    public const string Base64Url = "base64url";
    public const string JsonShape = "one JSON object";
    public const string Unicode = "UTF-8 and Unicode in strings";

    public static IReadOnlyList<string> Classes { get; } = [Accepted, SegmentCount, Base64Url, JsonShape, Unicode];

    private static readonly Lazy<CallerTokenCase[]> Generated = new(() => Generate().ToArray());

    /// <summary>Generated on first use: after every static list below is initialised.</summary>
    public static IReadOnlyList<CallerTokenCase> All => Generated.Value;

    public static CallerTokenCase ByName(string name) => All.Single(c => c.Name == name);

    private static IEnumerable<CallerTokenCase> Generate()
    {
        yield return new("canonical control", Accepted, null, signer => Sign(signer, Header(signer), Payload(signer)));
        foreach (var (name, wrap) in WhiteSpace)
        {
            yield return new($"header {name}", Accepted, null, signer => Sign(signer, wrap(Header(signer)), Payload(signer)));
            yield return new($"payload {name}", Accepted, null, signer => Sign(signer, Header(signer), wrap(Payload(signer))));
        }

        foreach (var generated in Segments().Concat(Encodings()).Concat(Shapes()).Concat(Strings()))
        {
            yield return generated;
        }
    }

    private static readonly (string Name, Func<byte[], byte[]> Wrap)[] WhiteSpace =
    [
        ("with a space before and after its JSON", json => [.. " "u8, .. json, .. " "u8]),
        ("with CR LF and tabs around its JSON", json => [.. "\r\n\t"u8, .. json, .. "\t\r\n"u8]),
        ("with white space inside its JSON", json => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(json)
            .Replace("\":", "\" :\n\t", StringComparison.Ordinal).Replace(",\"", " ,\r\n \"", StringComparison.Ordinal).Replace("{", "{ ", StringComparison.Ordinal))),
    ];

    private static IEnumerable<CallerTokenCase> Segments()
    {
        const string reason = "exactly three segments";
        yield return new("one segment (the header alone)", SegmentCount, reason, signer => Encode(Header(signer)));
        yield return new("two segments (no signature segment)", SegmentCount, reason, signer => SigningInput(Header(signer), Payload(signer)));
        yield return new("four segments (a trailing dot)", SegmentCount, reason, signer => Sign(signer, Header(signer), Payload(signer)) + ".");
        yield return new("four segments (the signature twice)", SegmentCount, reason, signer =>
        {
            var token = Sign(signer, Header(signer), Payload(signer));
            return token + "." + token.Split('.')[2];
        });
        yield return new("four segments (an empty one inside)", SegmentCount, reason, signer =>
        {
            var parts = Sign(signer, Header(signer), Payload(signer)).Split('.');
            return $"{parts[0]}..{parts[1]}.{parts[2]}";
        });
        yield return new("five segments (JWE's shape)", SegmentCount, reason, signer => Sign(signer, Header(signer), Payload(signer)) + ".e30.e30");
    }

    /// <summary>Characters a lenient base64 decoder skips or maps: '+' and '/' of standard base64, white space, percent-encoding, non-ASCII.</summary>
    private static readonly (string Name, string Text)[] OutsideAlphabet =
        [("'+'", "+"), ("'/'", "/"), ("a space", " "), ("a tab", "\t"), ("'%'", "%"), ("'é'", "é"), ("'!'", "!")];

    private static IEnumerable<CallerTokenCase> Encodings()
    {
        foreach (var segment in new[] { 0, 1, 2 })
        {
            var name = SegmentNames[segment];
            foreach (var padding in new[] { "=", "==" })
            {
                yield return new($"{name} ending in '{padding}'", Base64Url, $"its {name} is base64url with '=' padding",
                    signer => Altered(signer, segment, encoded => encoded + padding));
            }

            foreach (var (character, text) in OutsideAlphabet)
            {
                yield return new($"{name} holding {character}", Base64Url, $"its {name} holds a character outside base64url's alphabet",
                    signer => Altered(signer, segment, encoded => encoded.Insert(encoded.Length / 2, text)));
            }

            foreach (var (which, bits) in UnusedBits)
            {
                yield return new($"{name} with {which} set", Base64Url, $"its {name} is not canonical base64url",
                    signer => Altered(signer, segment, encoded => WithUnusedBits(encoded, bits), endsPartway: true));
            }

            // 4n + 1 characters: 6 bits short of a byte, which no encoding ends with.
            yield return new($"{name} of a length no encoding has", Base64Url, $"its {name} has a length no base64url encoding has",
                signer => Altered(signer, segment, encoded => encoded + new string('A', (5 - encoded.Length % 4) % 4)));
        }
    }

    private static readonly (string Name, int Bits)[] UnusedBits = [("its lowest unused bit", 1), ("all its unused bits", 0x0F)];

    /// <summary>What follows the object; "COPY" is the object again.</summary>
    private static readonly (string Name, string Text)[] AfterTheObject =
    [
        ("another object", "{}"), ("a letter", "x"), ("a NUL", "\0"), ("a comma", ","), ("a closing bracket", "]"),
        ("a string", "\"s\""), ("a number", " 1"), ("null after a line feed", "\nnull"), ("a second copy", "COPY"),
    ];

    /// <summary>JSON in place of the object; "OBJECT" is the object itself.</summary>
    private static readonly (string Name, string Json)[] NotObjects =
        [("an array", "[]"), ("an array of the object", "[OBJECT]"), ("a string", "\"x\""), ("a number", "1"), ("null", "null"), ("true", "true")];

    private static readonly (string Name, Func<byte[], byte[]> Change)[] NotJson =
    [
        ("empty", _ => []),
        ("white space only", _ => "  "u8.ToArray()),
        ("cut short", json => json[..^1]),
        ("with a comment before it", json => [.. "/* c */"u8, .. json]),
        ("with a trailing comma", json => [.. json[..^1], .. ",}"u8]),
        ("with single quotes", json => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(json).Replace('"', '\''))),
        ("with a byte order mark", json => [0xEF, 0xBB, 0xBF, .. json]),
        ("nested 40 levels deep", json => [.. json[..^1], .. Encoding.UTF8.GetBytes(",\"deep\":" + new string('[', 40) + new string(']', 40) + "}")]),
    ];

    private static IEnumerable<CallerTokenCase> Shapes()
    {
        foreach (var segment in new[] { 0, 1 })
        {
            var name = SegmentNames[segment];
            foreach (var (what, after) in AfterTheObject)
            {
                yield return new($"{name} followed by {what}", JsonShape, $"its {name} has data after its JSON object",
                    signer => WithJson(signer, segment, json => after == "COPY" ? [.. json, .. json] : [.. json, .. Encoding.UTF8.GetBytes(after)]));
            }

            foreach (var (what, replacement) in NotObjects)
            {
                yield return new($"{name} that is {what}", JsonShape, $"its {name} is JSON but not a JSON object",
                    signer => WithJson(signer, segment, json => Encoding.UTF8.GetBytes(replacement.Replace("OBJECT", Encoding.UTF8.GetString(json), StringComparison.Ordinal))));
            }

            foreach (var (what, change) in NotJson)
            {
                yield return new($"{name} {what}", JsonShape, $"its {name} is not valid JSON", signer => WithJson(signer, segment, change));
            }

            // A claim the app reads, and one it never looks at.
            var repeated = segment == 0 ? (string[])["kid", "alg"] : ["sub", "jti"];
            foreach (var member in repeated)
            {
                yield return new($"{name} naming '{member}' twice", JsonShape, $"its {name} names a member more than once",
                    signer => WithJson(signer, segment, json => [.. json[..^1], .. Encoding.UTF8.GetBytes($",\"{member}\":\"again\"}}")]));
            }
        }
    }

    /// <summary>Where a string stands in the header or the payload: claims the app reads and ones it never looks at, names and values, at depth.</summary>
    private static readonly (string Name, int Segment, string? Replaces, string Prefix, string Suffix)[] StringPositions =
    [
        ("header 'typ' value", 0, "typ", "\"typ\":\"at+", "\""),
        ("header unread parameter's value", 0, null, "\"x-note\":\"", "\""),
        ("header member name", 0, null, "\"", "\":1"),
        ("payload 'sub' value (read)", 1, "sub", "\"sub\":\"corpus-", "\""),
        ("payload 'roles' element (read)", 1, null, "\"roles\":[\"corpus-role\",\"", "\"]"),
        ("payload 'realm_access.roles' element (read nested)", 1, null, "\"realm_access\":{\"roles\":[\"", "\"]}"),
        ("payload unread claim's value", 1, null, "\"unread-claim\":\"", "\""),
        ("payload unread claim nested three deep", 1, null, "\"ext\":{\"a\":[{\"b\":\"", "\"}]}"),
        ("payload claim name", 1, null, "\"", "\":true"),
    ];

    private static IEnumerable<CallerTokenCase> Strings() =>
        from position in StringPositions
        from content in HostileRequestCorpus.IllFormed
        let segment = SegmentNames[position.Segment]
        let reason = content.Defect switch
        {
            StringDefect.NotUtf8 => $"its {segment} is not valid UTF-8",
            StringDefect.IllFormedEscape => $"its {segment} holds a string that is not well-formed Unicode",
            _ => $"its {segment} is not valid JSON",
        }
        select new CallerTokenCase($"{position.Name}: {content.Name}", Unicode, reason, signer =>
        {
            byte[] Add(byte[] json) => [.. json[..^1], .. ","u8, .. Encoding.UTF8.GetBytes(position.Prefix), .. content.Bytes, .. Encoding.UTF8.GetBytes(position.Suffix), .. "}"u8];
            return position.Segment == 0
                ? Sign(signer, Add(Header(signer, position.Replaces)), Payload(signer))
                : Sign(signer, Header(signer), Add(Payload(signer, position.Replaces)));
        });

    private static readonly string[] SegmentNames = ["header", "payload", "signature"];

    /// <param name="without">A member left out, for a case that writes it itself.</param>
    private static byte[] Header(CallerTokenSigner signer, string? without = null) =>
        Json(without, ("alg", "\"RS256\""), ("typ", "\"at+jwt\""), ("kid", $"\"{signer.Kid}\""));

    /// <summary>What a provider would issue now: no roles, so the caller gets the defaults.</summary>
    private static byte[] Payload(CallerTokenSigner signer, string? without = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return Json(without, ("iss", $"\"{signer.Issuer}\""), ("aud", $"\"{signer.Audience}\""), ("sub", $"\"{Subject}\""),
            ("iat", $"{now}"), ("nbf", $"{now}"), ("exp", $"{now + 600}"), ("jti", $"\"{Guid.NewGuid()}\""));
    }

    private static byte[] Json(string? without, params (string Name, string Json)[] members) =>
        Encoding.UTF8.GetBytes("{" + string.Join(",", members.Where(m => m.Name != without).Select(m => $"\"{m.Name}\":{m.Json}")) + "}");

    private static string Encode(byte[] json) => Base64UrlEncoder.Encode(json);

    private static string SigningInput(byte[] header, byte[] payload) => $"{Encode(header)}.{Encode(payload)}";

    private static string Sign(CallerTokenSigner signer, byte[] header, byte[] payload)
    {
        var input = SigningInput(header, payload);
        return $"{input}.{Base64UrlEncoder.Encode(signer.Sign(input))}";
    }

    private static string WithJson(CallerTokenSigner signer, int segment, Func<byte[], byte[]> change) =>
        segment == 0 ? Sign(signer, change(Header(signer)), Payload(signer)) : Sign(signer, Header(signer), change(Payload(signer)));

    /// <summary>One encoded segment changed; the header and payload are signed as changed, so the signature stays valid.</summary>
    /// <param name="endsPartway">
    /// Pad the header and payload JSON with white space to 3n + 1 bytes, so their encodings end 2 characters into a group
    /// (an RS256 signature, 256 bytes, always does).
    /// </param>
    private static string Altered(CallerTokenSigner signer, int segment, Func<string, string> change, bool endsPartway = false)
    {
        var (header, payload) = endsPartway
            ? (Encode(EndingPartway(Header(signer))), Encode(EndingPartway(Payload(signer))))
            : (Encode(Header(signer)), Encode(Payload(signer)));
        if (segment == 2)
        {
            var input = $"{header}.{payload}";
            return $"{input}.{change(Base64UrlEncoder.Encode(signer.Sign(input)))}";
        }

        var signed = segment == 0 ? $"{change(header)}.{payload}" : $"{header}.{change(payload)}";
        return $"{signed}.{Base64UrlEncoder.Encode(signer.Sign(signed))}";
    }

    private static byte[] EndingPartway(byte[] json) => [.. json, .. Enumerable.Repeat((byte)' ', (4 - json.Length % 3) % 3)];

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>
    /// The last character with <paramref name="bits"/> set among the 4 past the data (a segment 2 characters into its
    /// last group, as <c>endsPartway</c> makes it): a lenient decoder yields the same bytes, so the signature still verifies.
    /// </summary>
    private static string WithUnusedBits(string encoded, int bits)
    {
        Assert.Equal(2, encoded.Length % 4);
        return encoded[..^1] + Alphabet[Alphabet.IndexOf(encoded[^1], StringComparison.Ordinal) | bits];
    }
}
