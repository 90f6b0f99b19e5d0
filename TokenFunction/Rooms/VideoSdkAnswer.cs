using System.Text.Json;
using TokenFunction.Json;
using TokenFunction.VideoSdk;

namespace TokenFunction.Rooms;

/// <summary>
/// VideoSDK's room answer, trusted no more than a caller's request: what of it reaches the caller (the room id and
/// custom room id, which also land in a Location header and in the tokens clients ask for) obeys the rules a caller's
/// ids obey, and the room is the one asked for. A violation is described for the operator's log (field names, rules
/// and lengths, never the values) and nothing of the answer is relayed.
/// </summary>
internal static class VideoSdkAnswer
{
    /// <summary>A room answer is two levels deep (its <c>links</c>); far deeper is no answer of VideoSDK's.</summary>
    private const int MaxDepth = 16;

    public static Room? ReadRoom(ReadOnlyMemory<byte> body, RoomOperation operation, out string violation)
    {
        using var read = StrictJson.ReadObject(body, MaxDepth);
        if (read.Defect != StrictJsonDefect.None)
        {
            violation = $"the body is not one JSON object of well-formed UTF-8 ({read.Defect})";
            return null;
        }

        var root = read.Root;
        if (StrictJson.NamesAMemberTwice(root))
        {
            violation = "the body names a member twice";
            return null;
        }

        var room = ReadId(root, "roomId", required: true, out var roomId, out violation)
                   && ReadId(root, "customRoomId", required: false, out var customRoomId, out violation)
                   && ReadDisabled(root, out var disabled, out violation)
            ? new Room(roomId!, customRoomId, disabled)
            : null;
        if (room is null)
        {
            return null;
        }

        violation = AnotherRoom(room, operation) ?? string.Empty;
        return violation.Length == 0 ? room : null;
    }

    private static bool ReadId(JsonElement root, string field, bool required, out string? value, out string violation)
    {
        value = null;
        violation = string.Empty;
        if (!root.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            violation = required ? $"{field} is missing" : string.Empty;
            return !required;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            violation = $"{field} is a JSON {element.ValueKind}, not a string";
            return false;
        }

        value = element.GetString()!;
        if (!Identifiers.RoomId.IsValid(value))
        {
            violation = $"{field} ({value.Length} characters) is not {Identifiers.RoomId.Description}";
            return false;
        }

        return true;
    }

    private static bool ReadDisabled(JsonElement root, out bool disabled, out string violation)
    {
        disabled = false;
        violation = string.Empty;
        if (!root.TryGetProperty("disabled", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            violation = $"disabled is a JSON {element.ValueKind}, not a boolean";
            return false;
        }

        disabled = element.GetBoolean();
        return true;
    }

    /// <summary>A validation names the room by id or custom id; a creation with a custom id gets that room back.</summary>
    private static string? AnotherRoom(Room room, RoomOperation operation) =>
        operation.RoomId is { } asked && room.RoomId != asked && room.CustomRoomId != asked
            ? "it names a room other than the one asked for (neither its roomId nor its customRoomId is the id validated)"
            : operation.CustomRoomId is { } custom && room.CustomRoomId != custom
                ? "it names a room other than the one asked for (its customRoomId is not the one the room was created with)"
                : null;
}
