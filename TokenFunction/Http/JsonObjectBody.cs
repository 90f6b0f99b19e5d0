using System.Text.Json;
using TokenFunction.Json;
using TokenFunction.Problems;

namespace TokenFunction.Http;

/// <summary>
/// The shared rules for a request body that is one flat JSON object: parse bounded, refuse anything but an
/// object, and visit each field once, so that every endpoint names unknown, repeated and mistyped fields alike.
/// </summary>
internal static class JsonObjectBody
{
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

        using var read = StrictJson.ReadObject(body, HttpLimits.MaxJsonDepth);
        if (Refusal(read) is { } refusal)
        {
            return refusal;
        }

        var errors = new List<FieldError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var value = empty;
        foreach (var property in read.Root.EnumerateObject())
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

    private static ApiProblem? Refusal(StrictJsonRead read) => read.Defect switch
    {
        StrictJsonDefect.None => null,
        StrictJsonDefect.NotUtf8 => new ApiProblem(ErrorCodes.MalformedJson, "The body is not valid UTF-8."),
        StrictJsonDefect.NotJson => new ApiProblem(ErrorCodes.MalformedJson,
            $"The body is not valid JSON (line {read.Line}, byte {read.BytePositionInLine}) or is nested deeper than {HttpLimits.MaxJsonDepth} levels."),
        StrictJsonDefect.DataAfterValue => new ApiProblem(ErrorCodes.MalformedJson, "The body holds more than one JSON value: nothing may follow the object but white space."),
        StrictJsonDefect.IllFormedString => new ApiProblem(ErrorCodes.MalformedJson,
            "A string in the body is not well-formed Unicode (an escaped lone surrogate such as \\ud800)."),
        _ => new ApiProblem(ErrorCodes.MalformedJson, "The body must be a JSON object."),
    };

    public static string? ReadString(JsonProperty property, List<FieldError> errors)
    {
        switch (property.Value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return property.Value.GetString();
            default:
                errors.Add(WrongType(property.Name, "a string"));
                return null;
        }
    }

    public static FieldError UnknownField(string field, IEnumerable<string> expected) =>
        Error(ErrorCodes.UnknownField, field, $"Unknown field {Describe.Value(field)}; expected {string.Join(", ", expected)}.");

    public static FieldError WrongType(string field, string expected) =>
        Error(ErrorCodes.InvalidFieldType, field, $"Field '{field}' must be {expected}.");

    public static FieldError Error(ErrorCode code, string field, string detail) => new(field, code.Code, detail);
}
