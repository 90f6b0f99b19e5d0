using System.Text.Json;
using System.Text.Json.Serialization;

namespace TokenFunction.Rooms;

/// <summary>The body of VideoSDK's <c>POST /v2/rooms</c>; absent fields are left out so VideoSDK applies its own defaults.</summary>
internal sealed record VideoSdkCreateRoomBody(
    [property: JsonPropertyName("customRoomId")] string? CustomRoomId,
    [property: JsonPropertyName("webhook")] JsonElement? Webhook,
    [property: JsonPropertyName("autoCloseConfig")] JsonElement? AutoCloseConfig);

/// <summary>The part of VideoSDK's room answer (create and validate alike) this service reads; other fields are ignored.</summary>
internal sealed record VideoSdkRoom(
    [property: JsonPropertyName("roomId")] string? RoomId,
    [property: JsonPropertyName("customRoomId")] string? CustomRoomId,
    [property: JsonPropertyName("disabled")] bool? Disabled);

/// <summary>Compile-time JSON metadata for VideoSDK's REST API.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VideoSdkCreateRoomBody))]
[JsonSerializable(typeof(VideoSdkRoom))]
internal sealed partial class VideoSdkJsonContext : JsonSerializerContext;
