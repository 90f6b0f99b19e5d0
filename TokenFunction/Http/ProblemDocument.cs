using System.Text.Json.Serialization;

namespace TokenFunction.Http;

/// <summary>The RFC 9457 wire shape, plus the <c>code</c>, <c>errors</c>, <c>errorsOmitted</c> and <c>traceId</c> extension members.</summary>
internal sealed record ProblemDocument(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("errors")] IReadOnlyList<FieldErrorDocument>? Errors,
    [property: JsonPropertyName("errorsOmitted")] int? ErrorsOmitted,
    [property: JsonPropertyName("traceId")] string? TraceId);

internal sealed record FieldErrorDocument(
    [property: JsonPropertyName("field")] string Field,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("detail")] string Detail);
