using System.Text.Json;

namespace TokenFunction.Rooms;

/// <summary>
/// What a caller may pass on to VideoSDK when creating a room; every field optional. The webhook and
/// auto-close settings are VideoSDK's own objects, passed through unchanged (VideoSDK validates their content).
/// </summary>
public sealed record CreateRoomRequest(
    string? CustomRoomId = null,
    JsonElement? Webhook = null,
    JsonElement? AutoCloseConfig = null)
{
    public static CreateRoomRequest Empty { get; } = new();
}

/// <summary>The wire names of a create-room request's fields (ours and VideoSDK's are the same).</summary>
internal static class CreateRoomRequestFields
{
    public const string CustomRoomId = "customRoomId";
    public const string Webhook = "webhook";
    public const string AutoCloseConfig = "autoCloseConfig";

    public static IReadOnlyList<string> All { get; } = [CustomRoomId, Webhook, AutoCloseConfig];
}
