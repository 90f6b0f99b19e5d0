using System.Text.Json.Serialization;

namespace TokenFunction.VideoSdk;

/// <summary>Compile-time JSON metadata for what Jwt.Net asks us to serialize: its header and our claims.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VideoSdkClaims))]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(string))]
internal sealed partial class JwtJsonContext : JsonSerializerContext;
