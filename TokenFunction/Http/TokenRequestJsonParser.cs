using System.Text.Json;
using static TokenFunction.Http.JsonObjectBody;
using TokenFunction.Problems;
using TokenFunction.Tokens;

namespace TokenFunction.Http;

/// <summary>
/// Maps a JSON body onto a <see cref="TokenRequest"/> over System.Text.Json's DOM, so every refusal can
/// name the field and say exactly what was wrong (unknown, repeated, wrong type) rather than relaying a
/// serializer message about .NET types.
/// </summary>
internal static class TokenRequestJsonParser
{
    public static Outcome<TokenRequest> Parse(ReadOnlyMemory<byte> body) =>
        JsonObjectBody.Parse(body, TokenRequest.Empty, ReadField);

    private static TokenRequest ReadField(TokenRequest request, JsonProperty property, List<FieldError> errors) =>
        property.Name switch
        {
            TokenRequestFields.Permissions => request with { Permissions = ReadStringArray(property, errors) },
            TokenRequestFields.RoomId => request with { RoomId = ReadString(property, errors) },
            TokenRequestFields.ParticipantId => request with { ParticipantId = ReadString(property, errors) },
            TokenRequestFields.TtlSeconds => request with { TtlSeconds = ReadTtl(property, errors) },
            _ => Unknown(request, property.Name, errors),
        };

    private static TokenRequest Unknown(TokenRequest request, string field, List<FieldError> errors)
    {
        errors.Add(UnknownField(field, TokenRequestFields.All));
        return request;
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
}
