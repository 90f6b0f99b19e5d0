using System.Text.Json.Serialization;

namespace TokenFunction.Functions;

/// <summary>Compile-time JSON metadata for every success answer the functions write.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(RoomResponse))]
internal sealed partial class ResponseJsonContext : JsonSerializerContext;
