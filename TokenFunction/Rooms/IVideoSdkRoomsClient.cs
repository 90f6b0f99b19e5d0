using TokenFunction.Problems;

namespace TokenFunction.Rooms;

/// <summary>VideoSDK's room REST API, authenticated with this service's own management token; failures come back as problems, never exceptions.</summary>
public interface IVideoSdkRoomsClient
{
    /// <summary><c>POST /v2/rooms</c>.</summary>
    Task<Outcome<Room>> CreateAsync(CreateRoomRequest request, CancellationToken cancellationToken);

    /// <summary><c>GET /v2/rooms/validate/{roomId}</c>; the id must already satisfy <see cref="VideoSdk.Identifiers.RoomId"/>.</summary>
    Task<Outcome<Room>> ValidateAsync(string roomId, CancellationToken cancellationToken);
}
