using System.Text.Json.Serialization;
using TokenFunction.Rooms;

namespace TokenFunction.Functions;

/// <summary>The answer of both room endpoints: what a client needs to ask for a token and join.</summary>
internal sealed record RoomResponse(
    [property: JsonPropertyName("roomId")] string RoomId,
    [property: JsonPropertyName("customRoomId"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? CustomRoomId,
    [property: JsonPropertyName("disabled")] bool Disabled)
{
    public static RoomResponse From(Room room) => new(room.RoomId, room.CustomRoomId, room.Disabled);
}
