using System.Text.Json;
using System.Text.Json.Serialization;

namespace TokenFunction.Rooms;

/// <summary>The body of VideoSDK's <c>POST /v2/rooms</c>; absent fields are left out so VideoSDK applies its own defaults.</summary>
internal sealed record VideoSdkCreateRoomBody(
    [property: JsonPropertyName("customRoomId")] string? CustomRoomId,
    [property: JsonPropertyName("webhook")] JsonElement? Webhook,
    [property: JsonPropertyName("autoCloseConfig")] JsonElement? AutoCloseConfig);

/// <summary>Compile-time JSON metadata for VideoSDK's REST API.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VideoSdkCreateRoomBody))]
internal sealed partial class VideoSdkJsonContext : JsonSerializerContext;
