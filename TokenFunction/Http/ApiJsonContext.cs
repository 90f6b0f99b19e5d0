using System.Text.Json.Serialization;

namespace TokenFunction.Http;

/// <summary>Compile-time JSON metadata for the problem documents; the functions keep their own answers' metadata.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProblemDocument))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
