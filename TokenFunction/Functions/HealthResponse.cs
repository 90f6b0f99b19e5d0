using System.Text.Json.Serialization;

namespace TokenFunction.Functions;

/// <summary>The anonymous health answer: healthy, or unhealthy with one of <see cref="Problems.HealthReasons"/>; nothing more.</summary>
internal sealed record HealthResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("reason")] string? Reason)
{
    public static HealthResponse Healthy { get; } = new("healthy", null);

    [JsonIgnore]
    public bool IsHealthy => Reason is null;

    public static HealthResponse Unhealthy(string reason) => new("unhealthy", reason);
}
