using System.Text.Json;
using System.Text.Unicode;
using TokenFunction.Http;

namespace TokenFunction.Tokens;

/// <summary>
/// Maps a JSON body onto a <see cref="TokenRequest"/> over System.Text.Json's DOM, so every refusal can
/// name the field and say exactly what was wrong (unknown, repeated, wrong type) rather than relaying a
/// serializer message about .NET types.
/// </summary>
public static class TokenRequestJsonParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = HttpLimits.MaxJsonDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    public static Outcome<TokenRequest> Parse(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return TokenRequest.Empty;
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

            return ReadFields(document.RootElement);
        }
    }

    private static Outcome<TokenRequest> ReadFields(JsonElement root)
    {
        var errors = new List<FieldError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var request = TokenRequest.Empty;

        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                errors.Add(Error(ErrorCodes.DuplicateField, property.Name, $"Field {Describe.Value(property.Name)} appears more than once."));
                continue;
            }

            switch (property.Name)
            {
                case TokenRequestFields.Permissions:
                    request = request with { Permissions = ReadStringArray(property, errors) };
                    break;
                case TokenRequestFields.RoomId:
                    request = request with { RoomId = ReadString(property, errors) };
                    break;
                case TokenRequestFields.ParticipantId:
                    request = request with { ParticipantId = ReadString(property, errors) };
                    break;
                case TokenRequestFields.TtlSeconds:
                    request = request with { TtlSeconds = ReadTtl(property, errors) };
                    break;
                default:
                    errors.Add(Error(ErrorCodes.UnknownField, property.Name,
                        $"Unknown field {Describe.Value(property.Name)}; expected {string.Join(", ", TokenRequestFields.All)}."));
                    break;
            }
        }

        return errors.Count > 0 ? ApiProblem.ForFields(errors) : request;
    }

    private static string? ReadString(JsonProperty property, List<FieldError> errors)
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

    private static List<string?>? ReadStringArray(JsonProperty property, List<FieldError> errors)
    {
        if (property.Value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (property.Value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(WrongType(property.Name, "an array of strings"));
            return null;
        }

        var values = new List<string?>();
        foreach (var item in property.Value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !TryGetString(item, out var value))
            {
                errors.Add(WrongType(property.Name, "an array of strings"));
                return null;
            }

            values.Add(value);
        }

        return values;
    }

    private static int? ReadTtl(JsonProperty property, List<FieldError> errors)
    {
        var value = property.Value;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            errors.Add(WrongType(property.Name, "an integer number of seconds"));
            return null;
        }

        // 3600 and 3600.0 are the same number to a JSON client; 3600.5 is not a whole number of seconds.
        if (!value.TryGetDecimal(out var number) || decimal.IsInteger(number) && (number < int.MinValue || number > int.MaxValue))
        {
            errors.Add(Error(ErrorCodes.TtlOutOfRange, property.Name, "ttlSeconds is far outside the allowed lifetime."));
            return null;
        }

        if (!decimal.IsInteger(number))
        {
            errors.Add(WrongType(property.Name, "an integer number of seconds"));
            return null;
        }

        return (int)number;
    }

    /// <summary>An escaped lone surrogate (<c>"\ud800"</c>) is valid JSON but not a valid string.</summary>
    private static bool TryGetString(JsonElement element, out string? value)
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

    private static FieldError WrongType(string field, string expected) =>
        Error(ErrorCodes.InvalidFieldType, field, $"Field '{field}' must be {expected}.");

    private static FieldError Error(ErrorCode code, string field, string detail) => new(field, code.Code, detail);
}
