using System.Text.Json;
using System.Text.Unicode;

namespace TokenFunction.Json;

/// <summary>What is wrong with a text that should be one JSON object, in the order it is checked.</summary>
internal enum StrictJsonDefect
{
    None,

    /// <summary>Bytes that are not UTF-8 (overlong forms, encoded surrogates, stray continuation bytes).</summary>
    NotUtf8,

    /// <summary>Not JSON by RFC 8259 (no comments, no trailing commas), or nested deeper than allowed.</summary>
    NotJson,

    /// <summary>One JSON value, then more than whitespace: another value, a letter, a NUL.</summary>
    DataAfterValue,

    /// <summary>JSON, but an array, a string, a number, true, false or null.</summary>
    NotAnObject,

    /// <summary>A string (a name or a value, at any depth) that escapes a lone surrogate such as <c>\ud800</c>.</summary>
    IllFormedString,
}

/// <summary>The one object read, or why there is none (with where the JSON reader stopped, for <see cref="StrictJsonDefect.NotJson"/>).</summary>
internal sealed class StrictJsonRead : IDisposable
{
    private StrictJsonRead(JsonDocument? document, StrictJsonDefect defect, long line, long bytePosition)
    {
        Document = document;
        Defect = defect;
        Line = line;
        BytePositionInLine = bytePosition;
    }

    /// <summary>The object; null unless <see cref="Defect"/> is <see cref="StrictJsonDefect.None"/>. Owned here: dispose this.</summary>
    public JsonDocument? Document { get; }

    public StrictJsonDefect Defect { get; }

    /// <summary>One-based line and byte of a <see cref="StrictJsonDefect.NotJson"/> defect.</summary>
    public long Line { get; }

    public long BytePositionInLine { get; }

    public JsonElement Root => Document!.RootElement;

    internal static StrictJsonRead Of(JsonDocument document) => new(document, StrictJsonDefect.None, 0, 0);

    internal static StrictJsonRead Refused(StrictJsonDefect defect, long line = 0, long bytePosition = 0) => new(null, defect, line, bytePosition);

    public void Dispose() => Document?.Dispose();
}

/// <summary>
/// The one reading of JSON text at every edge of the service (request bodies, caller tokens' header and payload,
/// VideoSDK's answers): exactly one JSON object, strict UTF-8, RFC 8259 only, nothing after it but whitespace, and
/// every string well-formed Unicode before any is read.
/// </summary>
internal static class StrictJson
{
    public static StrictJsonRead ReadObject(ReadOnlyMemory<byte> utf8, int maxDepth)
    {
        // The reader checks UTF-8 only in what it decodes; refuse bad bytes up front, wherever they are.
        if (!Utf8.IsValid(utf8.Span))
        {
            return StrictJsonRead.Refused(StrictJsonDefect.NotUtf8);
        }

        var reader = new Utf8JsonReader(utf8.Span, new JsonReaderOptions
        {
            MaxDepth = maxDepth,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            // One value is read, then what follows it is looked at here, so "{} x" is told apart from "{x".
            AllowMultipleValues = true,
        });
        JsonDocument document;
        try
        {
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException exception)
        {
            return StrictJsonRead.Refused(StrictJsonDefect.NotJson, (exception.LineNumber ?? 0) + 1, (exception.BytePositionInLine ?? 0) + 1);
        }

        var refusal = utf8.Span[(int)reader.BytesConsumed..].TrimStart(" \t\r\n"u8).IsEmpty
            ? Check(document.RootElement.ValueKind, utf8.Span, maxDepth)
            : StrictJsonDefect.DataAfterValue;
        if (refusal == StrictJsonDefect.None)
        {
            return StrictJsonRead.Of(document);
        }

        document.Dispose();
        return StrictJsonRead.Refused(refusal);
    }

    /// <summary>
    /// Whether an object names a member twice: one library reads the first, another the last, so where the reading
    /// matters neither is taken (RFC 8259, 4: names "SHOULD be unique").
    /// </summary>
    public static bool NamesAMemberTwice(JsonElement value)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return !value.EnumerateObject().All(member => seen.Add(member.Name));
    }

    private static StrictJsonDefect Check(JsonValueKind root, ReadOnlySpan<byte> json, int maxDepth) =>
        !AreWellFormed(json, maxDepth) ? StrictJsonDefect.IllFormedString
        : root != JsonValueKind.Object ? StrictJsonDefect.NotAnObject
        : StrictJsonDefect.None;

    /// <summary>
    /// Valid JSON may still escape a lone surrogate (<c>"\ud800"</c>), which no .NET string can hold as text and which
    /// System.Text.Json refuses to decode (by throwing) wherever it is read later: every escaped string is decoded once here.
    /// </summary>
    /// <param name="json">A document that has already parsed as JSON, of valid UTF-8: only escapes are left to check.</param>
    private static bool AreWellFormed(ReadOnlySpan<byte> json, int maxDepth)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (InvalidOperationException)
        {
            // The decoder's only way of saying the unescaped text is not well-formed UTF-16.
            return false;
        }

        return true;
    }
}
