using System.Text.Json.Serialization;

namespace TokenFunction.Functions;

/// <summary>The health answer: whether tokens can be signed, and if not why; never a key, secret or version.</summary>
internal sealed record HealthResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("credentialsSource")] string CredentialsSource,
    [property: JsonPropertyName("credentialsLoadedAt")] DateTime? CredentialsLoadedAt,
    [property: JsonPropertyName("reason")] string? Reason);
