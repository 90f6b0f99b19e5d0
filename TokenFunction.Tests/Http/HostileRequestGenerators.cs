using System.Text;

namespace TokenFunction.Tests.Http;

/// <summary>Why the text between a JSON string's quotes cannot be read, whatever the string is for.</summary>
public enum StringDefect
{
    /// <summary>Well-formed: refused, if at all, by the rule of the field it stands in.</summary>
    None,

    /// <summary>Bytes that are not UTF-8.</summary>
    NotUtf8,

    /// <summary>Valid JSON escaping a lone surrogate: no Unicode string.</summary>
    IllFormedEscape,

    /// <summary>Not a JSON string at all: a raw control character, an escape JSON does not have.</summary>
    NotJson,
}

/// <summary>What goes between the quotes of a JSON string, as raw bytes: escapes are written as their JSON text.</summary>
public sealed record StringContent(string Name, byte[] Bytes, StringDefect Defect)
{
    public static StringContent Text(string name, string jsonText, StringDefect defect) => new(name, Encoding.UTF8.GetBytes(jsonText), defect);
}

/// <summary>
/// The generated part of the corpus: each defect class crossed with every place it can occur, so a fix is
/// checked for the class rather than for one example.
/// </summary>
public static partial class HostileRequestCorpus
{
    public const string TokenPath = "/api/token";
    public const string RoomsPath = "/api/rooms";

    private const string MalformedJsonCode = "malformed_json";
    private const string InvalidFieldTypeCode = "invalid_field_type";
    private const string TtlOutOfRangeCode = "ttl_out_of_range";
    private const string UnsupportedMediaTypeCode = "unsupported_media_type";

    /// <summary>Not a well-formed Unicode string, or not a valid JSON string: 400 malformed_json wherever it stands.</summary>
    public static readonly IReadOnlyList<StringContent> IllFormed =
    [
        StringContent.Text("lone high surrogate", "\\ud800", StringDefect.IllFormedEscape),
        StringContent.Text("lone high surrogate before text", "\\udbffx", StringDefect.IllFormedEscape),
        StringContent.Text("lone low surrogate", "\\udc00", StringDefect.IllFormedEscape),
        StringContent.Text("lone low surrogate U+DFFF", "\\udfff", StringDefect.IllFormedEscape),
        StringContent.Text("reversed surrogate pair", "\\udc00\\ud800", StringDefect.IllFormedEscape),
        StringContent.Text("two high surrogates", "\\ud800\\ud800", StringDefect.IllFormedEscape),
        StringContent.Text("high surrogate then a letter escape", "\\ud800\\u0041", StringDefect.IllFormedEscape),
        new("overlong '/' (C0 AF)", [0xC0, 0xAF], StringDefect.NotUtf8),
        new("overlong NUL (C0 80)", [0xC0, 0x80], StringDefect.NotUtf8),
        new("overlong 3-byte '/' (E0 80 AF)", [0xE0, 0x80, 0xAF], StringDefect.NotUtf8),
        new("overlong 4-byte '/' (F0 80 80 AF)", [0xF0, 0x80, 0x80, 0xAF], StringDefect.NotUtf8),
        new("UTF-8-encoded surrogate (ED A0 80)", [0xED, 0xA0, 0x80], StringDefect.NotUtf8),
        new("byte FF", [0xFF], StringDefect.NotUtf8),
        new("truncated sequence (E2 82)", [0xE2, 0x82], StringDefect.NotUtf8),
        new("beyond U+10FFFF (F4 90 80 80)", [0xF4, 0x90, 0x80, 0x80], StringDefect.NotUtf8),
        new("raw NUL byte", [0x00], StringDefect.NotJson),
        new("raw control byte 1F", [0x1F], StringDefect.NotJson),
        new("raw line feed", [0x0A], StringDefect.NotJson),
        StringContent.Text("escape \\x41", "\\x41", StringDefect.NotJson),
        StringContent.Text("short \\u escape", "\\u12", StringDefect.NotJson),
        StringContent.Text("non-hex \\u escape", "\\uZZZZ", StringDefect.NotJson),
        StringContent.Text("escape \\U0041", "\\U0041", StringDefect.NotJson),
        StringContent.Text("escaped single quote", "\\'", StringDefect.NotJson),
        StringContent.Text("escape \\a", "\\a", StringDefect.NotJson),
        StringContent.Text("escape \\0", "\\0", StringDefect.NotJson),
    ];

    /// <summary>Well-formed but hostile: refused by the field's own rule where the service reads the string.</summary>
    private static readonly StringContent[] WellFormedHostile =
    [
        StringContent.Text("escaped NUL", "\\u0000", StringDefect.None),
        StringContent.Text("escaped BOM", "\\ufeff", StringDefect.None),
        new("raw BOM", [0xEF, 0xBB, 0xBF], StringDefect.None),
    ];

    /// <summary>
    /// A place a JSON string stands in a request body. <paramref name="WellFormedCode"/>: the answer to a well-formed
    /// hostile string there; null where the service passes the string on unread (VideoSDK's own objects).
    /// </summary>
    private sealed record StringPosition(string Path, string Name, string Prefix, string Suffix, string? WellFormedCode);

    private static readonly StringPosition[] StringPositions =
    [
        new(TokenPath, "field name", "{\"", "\":1}", "unknown_field"),
        new(TokenPath, "field name after a field", "{\"roomId\":\"abcd-efgh-ijkl\",\"roomId", "\":1}", "unknown_field"),
        new(TokenPath, "roomId value", "{\"roomId\":\"", "\"}", "room_id_invalid"),
        new(TokenPath, "participantId value", "{\"participantId\":\"", "\"}", "participant_id_invalid"),
        new(TokenPath, "permissions element", "{\"permissions\":[\"allow_join\",\"", "\"]}", "permission_unknown"),
        new(TokenPath, "ttlSeconds as a string", "{\"ttlSeconds\":\"", "\"}", InvalidFieldTypeCode),
        new(RoomsPath, "field name", "{\"", "\":1}", "unknown_field"),
        new(RoomsPath, "field name after a field", "{\"customRoomId\":\"abcd-efgh-ijkl\",\"", "\":{}}", "unknown_field"),
        new(RoomsPath, "customRoomId value", "{\"customRoomId\":\"", "\"}", "room_id_invalid"),
        new(RoomsPath, "webhook field name", "{\"webhook\":{\"", "\":\"x\"}}", null),
        new(RoomsPath, "webhook endPoint value", "{\"webhook\":{\"endPoint\":\"https://example.com/", "\"}}", null),
        new(RoomsPath, "autoCloseConfig nested array value", "{\"autoCloseConfig\":{\"type\":\"session-end\",\"x\":[\"", "\"]}}", null),
    ];

    /// <summary>Every ill-formed string at every string position of <paramref name="path"/>: the slice also sent through the real worker.</summary>
    public static IEnumerable<HostileRequest> IllFormedStringsAt(string path) =>
        from position in StringPositions.Where(p => p.Path == path)
        from content in IllFormed
        select StringAt(position, content, MalformedJsonCode);

    private static IEnumerable<HostileRequest> Strings() =>
        IllFormedStringsAt(TokenPath).Concat(IllFormedStringsAt(RoomsPath)).Concat(
            from position in StringPositions
            where position.WellFormedCode is not null
            from content in WellFormedHostile
            select StringAt(position, content, position.WellFormedCode!));

    private static HostileRequest StringAt(StringPosition position, StringContent content, string expectedCode) =>
        new($"{position.Path} {position.Name}: {content.Name}", "POST", position.Path,
            [.. Encoding.UTF8.GetBytes(position.Prefix), .. content.Bytes, .. Encoding.UTF8.GetBytes(position.Suffix)],
            "application/json", expectedCode);

    /// <summary>ttlSeconds in a JSON body: the JSON text of the number, and the one answer it must get.</summary>
    private static readonly (string Json, string Code)[] JsonNumbers =
    [
        // Fractions: not an integer literal, even when the value is whole.
        ("60.0", InvalidFieldTypeCode), ("600.5", InvalidFieldTypeCode), ("3600.000", InvalidFieldTypeCode),
        ("60.0000000000000000000000000001", InvalidFieldTypeCode), ("59.99999999999999999999999999999", InvalidFieldTypeCode),
        ("-0.0", InvalidFieldTypeCode),
        // Exponents, whatever their value.
        ("6e2", InvalidFieldTypeCode), ("6E2", InvalidFieldTypeCode), ("6e+2", InvalidFieldTypeCode), ("6000e-1", InvalidFieldTypeCode),
        ("3.6e3", InvalidFieldTypeCode), ("0e0", InvalidFieldTypeCode), ("1e400", InvalidFieldTypeCode), ("-1e400", InvalidFieldTypeCode),
        ("1e-400", InvalidFieldTypeCode),
        // Integer literals beyond any lifetime, and negative zero (an integer literal of value 0).
        ("2147483648", TtlOutOfRangeCode), ("-2147483649", TtlOutOfRangeCode), ("9223372036854775808", TtlOutOfRangeCode),
        ("99999999999999999999999", TtlOutOfRangeCode), ("1" + new string('0', 400), TtlOutOfRangeCode), ("-0", TtlOutOfRangeCode),
        // Not JSON numbers at all: leading zeros, signs, whitespace or NUL inside, Unicode digits.
        ("060", MalformedJsonCode), ("00", MalformedJsonCode), ("-060", MalformedJsonCode), ("+600", MalformedJsonCode),
        ("6 00", MalformedJsonCode), ("600\u0000", MalformedJsonCode), ("6\u00000", MalformedJsonCode), ("\uff16\uff10\uff10", MalformedJsonCode),
        ("\u0666\u0660\u0660", MalformedJsonCode), ("\u06f6\u06f0\u06f0", MalformedJsonCode), ("6\u00a000", MalformedJsonCode),
        (".5", MalformedJsonCode), ("600.", MalformedJsonCode), ("0x258", MalformedJsonCode), ("1_000", MalformedJsonCode),
        ("1,000", MalformedJsonCode), ("-", MalformedJsonCode), ("--600", MalformedJsonCode),
    ];

    /// <summary>?ttlSeconds= as sent on the wire (percent-encoded), and the one answer it must get.</summary>
    private static readonly (string Query, string Code)[] QueryNumbers =
    [
        ("60.0", InvalidFieldTypeCode), ("600.5", InvalidFieldTypeCode), ("6e2", InvalidFieldTypeCode), ("1e3", InvalidFieldTypeCode),
        ("0600", InvalidFieldTypeCode), ("00", InvalidFieldTypeCode), ("-0600", InvalidFieldTypeCode), ("%2B600", InvalidFieldTypeCode),
        ("%20600", InvalidFieldTypeCode), ("600%20", InvalidFieldTypeCode), ("6%2000", InvalidFieldTypeCode), ("600%00", InvalidFieldTypeCode),
        ("600%00%00", InvalidFieldTypeCode), ("%00600", InvalidFieldTypeCode), ("600%09", InvalidFieldTypeCode), ("600%0A", InvalidFieldTypeCode),
        ("1,000", InvalidFieldTypeCode), ("1_000", InvalidFieldTypeCode), ("%EF%BC%96%EF%BC%90%EF%BC%90", InvalidFieldTypeCode),
        ("%D9%A6%D9%A0%D9%A0", InvalidFieldTypeCode), ("6%C2%A000", InvalidFieldTypeCode), ("0x258", InvalidFieldTypeCode),
        ("", InvalidFieldTypeCode), ("-", InvalidFieldTypeCode), ("--600", InvalidFieldTypeCode), ("NaN", InvalidFieldTypeCode),
        ("Infinity", InvalidFieldTypeCode), ("600abc", InvalidFieldTypeCode), ("-0.0", InvalidFieldTypeCode),
        ("-5", TtlOutOfRangeCode), ("0", TtlOutOfRangeCode), ("-0", TtlOutOfRangeCode), ("59", TtlOutOfRangeCode),
        ("2147483648", TtlOutOfRangeCode), ("99999999999999999999", TtlOutOfRangeCode), ("-99999999999999999999", TtlOutOfRangeCode),
    ];

    private static IEnumerable<HostileRequest> LenientNumbers()
    {
        foreach (var (json, code) in JsonNumbers)
        {
            yield return new HostileRequest($"POST ttlSeconds {Shorten(Escape(json))}", "POST", TokenPath,
                Encoding.UTF8.GetBytes($"{{\"ttlSeconds\":{json}}}"), "application/json", code);
        }

        foreach (var (query, code) in QueryNumbers)
        {
            yield return new HostileRequest($"GET ?ttlSeconds={query}", "GET", $"{TokenPath}?ttlSeconds={query}", null, null, code);
        }
    }

    /// <summary>
    /// Content-Type values that are not <c>application/json</c> with at most <c>charset=utf-8</c> under RFC 9110's
    /// grammar (media-type = type "/" subtype *( OWS ";" OWS [ parameter ] ); parameter = token "=" ( token / quoted-string )).
    /// </summary>
    public static readonly string[] RefusedMediaTypes =
    [
        "application /json", "application/ json", "application / json", "application\t/json", "application/json x",
        "application/json; charset = utf-8", "application/json; charset= utf-8", "application/json; charset =utf-8",
        "application/json; charset=", "application/json; charset", "application/json; =utf-8", "application/json; charset=\"utf-8",
        "application/json; charset=utf-8\"", "application/json; charset=utf-8 x", "application/json; charset=utf-16",
        "application/json; charset=iso-8859-1", "application/json; charset=utf8", "application/json; charset=\"utf-16\"",
        "application/json; charset=utf-8; charset=utf-8", "application/json; foo=bar", "application/json; charset=utf-8; foo=bar",
        "application/json, application/json", "application/json\u0000", "application/json; charset=utf-8\u0000",
        "application/*", "*/*", "application/problem+json", "application/json-seq", "application/jsonx", "text/json",
        "application//json", "/json", "application/", "application", "app\u00eflication/json", "application/js\u00f6n",
        "application/json; ch\u00e4rset=utf-8", "application/json;\u00a0charset=utf-8", "application/json; charset=\"utf-8\\\"",
    ];

    private static IEnumerable<HostileRequest> MediaTypes() =>
        from path in new[] { TokenPath, RoomsPath }
        from mediaType in RefusedMediaTypes
        select new HostileRequest($"{path} Content-Type {Escape(mediaType)}", "POST", path, "{}"u8.ToArray(), mediaType, UnsupportedMediaTypeCode);

    /// <summary>Small requests that would draw long answers if every refusal were listed.</summary>
    private static IEnumerable<HostileRequest> Amplification()
    {
        foreach (var count in new[] { 21, 100, 250, 1000 })
        {
            var unknown = string.Join("&", Enumerable.Range(0, count).Select(i => $"u{i}=1"));
            var code = unknown.Length < 2048 ? "unknown_field" : "query_too_long";
            yield return new HostileRequest($"GET with {count} unknown parameters", "GET", $"{TokenPath}?{unknown}", null, null, code);
            yield return new HostileRequest($"POST with {count} unknown parameters", "POST", $"{TokenPath}?{unknown}", "{}"u8.ToArray(), "application/json", code);
        }

        var fields = "{" + string.Join(",", Enumerable.Range(0, 300).Select(i => $"\"u{i}\":1")) + "}";
        yield return new HostileRequest("POST with 300 unknown fields", "POST", TokenPath, Encoding.UTF8.GetBytes(fields), "application/json", "unknown_field");
        yield return new HostileRequest("rooms POST with 300 unknown fields", "POST", RoomsPath, Encoding.UTF8.GetBytes(fields), "application/json", "unknown_field");
        yield return new HostileRequest("GET with a 2 KB parameter name", "GET", $"{TokenPath}?{new string('n', 2000)}=1", null, null, "unknown_field");
        yield return new HostileRequest("GET with a 6 KB parameter name", "GET", $"{TokenPath}?{new string('n', 6000)}=1", null, null, "query_too_long");
    }

    /// <summary>Case names stay printable and distinct.</summary>
    private static string Escape(string value) =>
        string.Concat(value.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString()));
}
