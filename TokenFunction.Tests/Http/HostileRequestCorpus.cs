using System.Text;

namespace TokenFunction.Tests.Http;

/// <summary>
/// One request a hostile or broken client might send, and why it must be refused: with <paramref name="ExpectedCode"/>
/// when its class has one answer, otherwise with any 4xx problem.
/// </summary>
public sealed record HostileRequest(string Name, string Method, string PathAndQuery, byte[]? Body, string? ContentType, string? ExpectedCode = null)
{
    public override string ToString() => Name;

    /// <summary>What goes over the wire, for telling requests apart whatever their names.</summary>
    public string Wire => $"{Method} {PathAndQuery} {ContentType} {Convert.ToBase64String(Body ?? [])}";
}

/// <summary>
/// A generated corpus of malformed and hostile token requests. Every entry is invalid by construction,
/// so every one must be refused with a 4xx problem and no token.
/// </summary>
public static partial class HostileRequestCorpus
{
    private static readonly string[] Fields = ["permissions", "roomId", "participantId", "ttlSeconds"];

    private static readonly string[] WrongJsonValues =
        ["true", "false", "0", "-1", "1.5", "\"x\"", "[]", "{}", "[1]", "[null]", "[\"allow_join\",1]", "{\"a\":1}"];

    /// <summary>Strings no identifier may be: each is outside the room-id and the participant-id rules.</summary>
    public static readonly IReadOnlyList<string> HostileIdentifiers =
    [
        "", " ", "a b", "\t", "\n", "a\u0000b", "\u0001", "\u001f", "\u007f", "\u0085", "a\u00a0b", "\u200b", "\u200d",
        "\u202e", "\u2028", "\ufeff", "ｒｏｏｍ", "e\u0301", "😀", "\ud800", "\udfff", "room/../x", "room?x=1",
        "room#x", "<script>", "'; drop table", "\"quoted\"", "back\\slash", "%00", "a,b", new string('a', 129),
        new string('9', 1000),
    ];

    private static readonly string[] BadTtls =
    [
        "-1", "0", "59", "86401", "2147483647", "1e308", "-1e308", "59.999", "60.5", "1E6", "\"3600\"", "true", "[3600]", "{\"v\":3600}",
    ];

    private static readonly string[] BadPermissionArrays =
    [
        "[]", "[\"ALLOW_JOIN\"]", "[\" allow_join\"]", "[\"allow_join \"]", "[\"allow_join\\u0000\"]", "[\"allow_mod\"]",
        "[\"allow_join\",\"allow_mod\"]", "[\"ask_join\",\"allow_join\"]", "[\"ask_join\",\"allow_mod\"]",
        "[\"allow_join\",\"allow_join\"]", "[\"crawler\"]", "[\"rtc\"]", "[\"*\"]", "[\"\"]", "[null]",
        "[" + string.Join(",", Enumerable.Repeat("\"allow_join\"", 100)) + "]",
    ];

    private static readonly string[] MalformedJson =
    [
        "{", "}", "{\"roomId\":", "{\"roomId\":\"a\",}", "{'roomId':'a'}", "{roomId:\"a\"}", "{\"roomId\":\"a\"} x",
        "{}{}", "/* c */ {}", "{\"roomId\":\"a\" // c\n}", "nul", "null", "\"string\"", "42", "[]", "[{}]",
        "{\"roomId\":\"\\x41\"}", "{\"roomId\":\"\\u12\"}", "{\"ttlSeconds\":NaN}", "{\"ttlSeconds\":Infinity}",
        "{\"ttlSeconds\":0x10}", "{\"ttlSeconds\":+60}", "{\"ttlSeconds\":060}",
    ];

    private static readonly string[] UnknownFields =
        ["apikey", "roles", "version", "exp", "iat", "jti", "__proto__", "constructor", "", "RoomId", "roomid", "permissions ", "PERMISSIONS"];

    private static readonly string[] WrongMethods = ["PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "FOO"];

    private static readonly string[] WrongContentTypes =
    [
        "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
        "application/json; charset=iso-8859-1", "application/json; charset=utf-16", "application/jsonx", "json",
        "application/json, text/plain", "",
    ];

    private static readonly string[] HostileQueries =
    [
        "?permissions=allow_mod", "?permissions=allow_join,,ask_join", "?permissions=", "?permissions=ask_join,allow_join",
        "?permissions=allow_join&permissions=ask_join", "?roomId=%00", "?roomId=a%20b", "?roomId=", "?participantId=%0d%0aSet-Cookie:x",
        "?ttlSeconds=-60",
        "?apikey=x", "?roles=crawler", "?foo", "?code=k&extra=1",
    ];

    /// <summary>The lists overlap (a ttlSeconds of "true" is a wrong JSON value and a bad ttl): each request counts once.</summary>
    public static IEnumerable<HostileRequest> All() => Generate().DistinctBy(r => r.Wire);

    private static IEnumerable<HostileRequest> Generate()
    {
        foreach (var field in Fields)
        {
            foreach (var value in WrongJsonValues.Where(v => !IsValidFor(field, v)))
            {
                yield return Post($"{field} = {value}", $"{{\"{field}\":{value}}}");
            }

            yield return Post($"{field} twice", $"{{\"{field}\":null,\"{field}\":null}}");
        }

        foreach (var (identifier, index) in HostileIdentifiers.Select((v, i) => (v, i)))
        {
            var json = JsonString(identifier);
            yield return Post($"roomId hostile #{index}", $"{{\"roomId\":{json}}}");
            yield return Post($"participantId hostile #{index}", $"{{\"participantId\":{json}}}");
        }

        foreach (var ttl in BadTtls)
        {
            yield return Post($"ttlSeconds {ttl}", $"{{\"ttlSeconds\":{ttl}}}");
        }

        foreach (var permissions in BadPermissionArrays)
        {
            yield return Post($"permissions {Shorten(permissions)}", $"{{\"permissions\":{permissions}}}");
        }

        foreach (var json in MalformedJson)
        {
            yield return Post($"malformed {Shorten(json)}", json);
        }

        foreach (var field in UnknownFields)
        {
            yield return Post($"unknown field '{field}'", $"{{{JsonString(field)}:1}}");
        }

        foreach (var depth in new[] { 5, 64, 1000, 100_000 })
        {
            yield return Post($"nested arrays depth {depth}", $"{{\"permissions\":{new string('[', depth)}{new string(']', depth)}}}");
            yield return Post($"nested objects depth {depth}", string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth));
        }

        yield return Post("huge string", $"{{\"roomId\":\"{new string('a', 100_000)}\"}}");
        yield return Post("huge array", $"{{\"permissions\":[{string.Join(",", Enumerable.Repeat("\"allow_join\"", 10_000))}]}}");
        yield return Post("many fields", "{" + string.Join(",", Enumerable.Range(0, 2000).Select(i => $"\"f{i}\":{i}")) + "}");
        yield return new HostileRequest("invalid UTF-8", "POST", "/api/token", [0x7b, 0x22, 0x72, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d], "application/json");
        yield return new HostileRequest("UTF-16 body", "POST", "/api/token", Encoding.Unicode.GetBytes("{\"roomId\":\"a\"}"), "application/json");

        foreach (var method in WrongMethods)
        {
            yield return new HostileRequest($"method {method}", method, "/api/token", null, null);
        }

        foreach (var contentType in WrongContentTypes)
        {
            yield return new HostileRequest($"content type '{contentType}'", "POST", "/api/token", "{}"u8.ToArray(), contentType);
        }

        foreach (var query in HostileQueries)
        {
            yield return new HostileRequest($"GET {query}", "GET", "/api/token" + query, null, null);
        }

        foreach (var generated in Strings().Concat(LenientNumbers()).Concat(MediaTypes()).Concat(Amplification()))
        {
            yield return generated;
        }
    }

    private static bool IsValidFor(string field, string value) => value is "\"x\"" && field is "roomId" or "participantId";

    private static HostileRequest Post(string name, string json) =>
        new(name, "POST", "/api/token", Encoding.UTF8.GetBytes(json), "application/json");

    /// <summary>A JSON string literal that keeps lone surrogates and control characters as escapes.</summary>
    private static string JsonString(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c is < ' ' or '"' or '\\' || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return builder.Append('"').ToString();
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
