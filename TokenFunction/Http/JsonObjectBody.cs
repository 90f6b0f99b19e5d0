using System.Text.Json;
using System.Text.Unicode;
using TokenFunction.Problems;

namespace TokenFunction.Http;

/// <summary>
/// The shared rules for a request body that is one flat JSON object: parse bounded, refuse anything but an
/// object, and visit each field once, so that every endpoint names unknown, repeated and mistyped fields alike.
/// </summary>
internal static class JsonObjectBody
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = HttpLimits.MaxJsonDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>
    /// Reads <paramref name="body"/> into <typeparamref name="T"/>, starting from <paramref name="empty"/> (also the
    /// answer for an empty body). <paramref name="readField"/> sees each distinct field once and returns the updated value.
    /// </summary>
    public static Outcome<T> Parse<T>(ReadOnlyMemory<byte> body, T empty, Func<T, JsonProperty, List<FieldError>, T> readField)
    {
        if (body.IsEmpty)
        {
            return empty;
        }

        // JsonDocument checks UTF-8 only as strings are read; refuse bad bytes up front, as malformed JSON.
        if (!Utf8.IsValid(body.Span))
        {
            return new ApiProblem(ErrorCodes.MalformedJson, "The body is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException exception)
        {
            return new ApiProblem(ErrorCodes.MalformedJson,
                $"The body is not valid JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}) or is nested deeper than {HttpLimits.MaxJsonDepth} levels.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new ApiProblem(ErrorCodes.MalformedJson, "The body must be a JSON object.");
            }

            var errors = new List<FieldError>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var value = empty;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (seen.Add(property.Name))
                {
                    value = readField(value, property, errors);
                }
                else
                {
                    errors.Add(Error(ErrorCodes.DuplicateField, property.Name, $"Field {Describe.Value(property.Name)} appears more than once."));
                }
            }

            return errors.Count > 0 ? ApiProblem.ForFields(errors) : value;
        }
    }

    public static string? ReadString(JsonProperty property, List<FieldError> errors)
    {
        switch (property.Value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String when TryGetString(property.Value, out var value):
                return value;
            default:
                errors.Add(WrongType(property.Name, "a string"));
                return null;
        }
    }

    /// <summary>An escaped lone surrogate (<c>"\ud800"</c>) is valid JSON but not a valid string.</summary>
    public static bool TryGetString(JsonElement element, out string? value)
    {
        try
        {
            value = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = null;
            return false;
        }
    }

    public static FieldError UnknownField(string field, IEnumerable<string> expected) =>
        Error(ErrorCodes.UnknownField, field, $"Unknown field {Describe.Value(field)}; expected {string.Join(", ", expected)}.");

    public static FieldError WrongType(string field, string expected) =>
        Error(ErrorCodes.InvalidFieldType, field, $"Field '{field}' must be {expected}.");

    public static FieldError Error(ErrorCode code, string field, string detail) => new(field, code.Code, detail);
}
