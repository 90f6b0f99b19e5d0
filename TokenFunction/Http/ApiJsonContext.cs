using System.Text.Json.Serialization;
using TokenFunction.Functions;

namespace TokenFunction.Http;

/// <summary>Compile-time JSON metadata for every response body the API writes.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProblemDocument))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(RoomResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
