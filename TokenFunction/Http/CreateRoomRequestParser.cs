using System.Text.Json;
using static TokenFunction.Http.JsonObjectBody;
using TokenFunction.Problems;
using TokenFunction.Rooms;
using TokenFunction.VideoSdk;

namespace TokenFunction.Http;

/// <summary>Maps a create-room JSON body onto a <see cref="CreateRoomRequest"/> under the same rules as a token request.</summary>
internal static class CreateRoomRequestParser
{
    public static Outcome<CreateRoomRequest> Parse(ReadOnlyMemory<byte> body) =>
        JsonObjectBody.Parse(body, CreateRoomRequest.Empty, ReadField);

    private static CreateRoomRequest ReadField(CreateRoomRequest request, JsonProperty property, List<FieldError> errors)
    {
        switch (property.Name)
        {
            case CreateRoomRequestFields.CustomRoomId:
                return request with { CustomRoomId = ReadCustomRoomId(property, errors) };
            case CreateRoomRequestFields.Webhook:
                return request with { Webhook = ReadObject(property, errors) };
            case CreateRoomRequestFields.AutoCloseConfig:
                return request with { AutoCloseConfig = ReadObject(property, errors) };
            default:
                errors.Add(UnknownField(property.Name, CreateRoomRequestFields.All));
                return request;
        }
    }

    /// <summary>Checked like a room id: it becomes one, and it lands in URLs and tokens.</summary>
    private static string? ReadCustomRoomId(JsonProperty property, List<FieldError> errors)
    {
        var value = ReadString(property, errors);
        if (Identifiers.RoomId.Check(property.Name, value) is { } invalid)
        {
            errors.Add(invalid);
            return null;
        }

        return value;
    }

    /// <summary>A copy that outlives the parsed document, so it can be written into the upstream request.</summary>
    private static JsonElement? ReadObject(JsonProperty property, List<FieldError> errors)
    {
        switch (property.Value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Object:
                return property.Value.Clone();
            default:
                errors.Add(WrongType(property.Name, "a JSON object"));
                return null;
        }
    }
}
