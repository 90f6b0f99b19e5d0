using System.Text.Json.Serialization;

namespace TokenFunction.VideoSdk;

/// <summary>The payload of a VideoSDK access token, in the claim names and types VideoSDK reads.</summary>
internal sealed class VideoSdkClaims
{
    /// <summary><c>version: 2</c> is what makes VideoSDK honour <c>roles</c>, <c>roomId</c> and <c>participantId</c>.</summary>
    public const int ClaimsVersion = 2;

    /// <summary>Client tokens may run meetings but never call VideoSDK's REST API (that is <c>crawler</c>).</summary>
    public const string RtcRole = "rtc";

    /// <summary>Server tokens may call VideoSDK's REST API but never run a meeting: they stay on the server.</summary>
    public const string CrawlerRole = "crawler";

    [JsonPropertyName("apikey")] public required string ApiKey { get; init; }
    [JsonPropertyName("permissions")] public required IReadOnlyList<string> Permissions { get; init; }
    [JsonPropertyName("version")] public int Version { get; init; } = ClaimsVersion;
    [JsonPropertyName("roles")] public required IReadOnlyList<string> Roles { get; init; }
    [JsonPropertyName("roomId")] public string? RoomId { get; init; }
    [JsonPropertyName("participantId")] public string? ParticipantId { get; init; }
    [JsonPropertyName("iat")] public required long IssuedAt { get; init; }
    [JsonPropertyName("nbf")] public required long NotBefore { get; init; }
    [JsonPropertyName("exp")] public required long Expires { get; init; }
    [JsonPropertyName("jti")] public required string TokenId { get; init; }
}
