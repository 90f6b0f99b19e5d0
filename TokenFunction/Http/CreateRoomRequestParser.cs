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
                return request with { Webhook = ReadObject(property, WebhookMembers, errors) };
            case CreateRoomRequestFields.AutoCloseConfig:
                return request with { AutoCloseConfig = ReadObject(property, AutoCloseConfigMembers, errors) };
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

    /// <summary>A member of one of VideoSDK's objects whose type the contract states, and the check of it.</summary>
    private sealed record KnownMember(string Name, string Expected, Func<JsonElement, bool> Accepts);

    private static readonly KnownMember[] WebhookMembers =
    [
        new("endPoint", "a string", value => value.ValueKind == JsonValueKind.String),
        new("events", "an array of strings", value => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)),
    ];

    private static readonly KnownMember[] AutoCloseConfigMembers =
    [
        new("type", "a string", value => value.ValueKind == JsonValueKind.String),
        new("duration", "an integer", value => value.ValueKind == JsonValueKind.Number && IntegerLiteral.Parse(value.GetRawText()).Kind != IntegerLiteralKind.NotInteger),
    ];

    /// <summary>
    /// The members the contract types are checked (every occurrence, should one be repeated), so a generated client and
    /// this service agree on what is refused; the rest passes on to VideoSDK unread. A copy is kept that outlives the
    /// parsed document, so it can be written into the upstream request.
    /// </summary>
    private static JsonElement? ReadObject(JsonProperty property, IReadOnlyList<KnownMember> known, List<FieldError> errors)
    {
        switch (property.Value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Object:
                var wrong = property.Value.EnumerateObject()
                    .Select(m => (Member: m, Rule: known.FirstOrDefault(k => m.NameEquals(k.Name))))
                    .Where(m => m.Rule is not null && !m.Rule.Accepts(m.Member.Value))
                    .Select(m => WrongType($"{property.Name}.{m.Rule!.Name}", m.Rule.Expected))
                    .ToList();
                errors.AddRange(wrong);
                return wrong.Count == 0 ? property.Value.Clone() : null;
            default:
                errors.Add(WrongType(property.Name, "a JSON object"));
                return null;
        }
    }
}
