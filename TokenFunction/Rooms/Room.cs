namespace TokenFunction.Rooms;

/// <summary>A VideoSDK room, reduced to what a client needs to join it: VideoSDK's internal ids and REST links stay on the server.</summary>
public sealed record Room(string RoomId, string? CustomRoomId, bool Disabled);
