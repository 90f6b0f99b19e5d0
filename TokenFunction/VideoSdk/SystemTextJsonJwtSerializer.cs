using System.Text.Json;
using JWT;

namespace TokenFunction.VideoSdk;

/// <summary>
/// Jwt.Net's serializer extension point, backed by source-generated System.Text.Json: it honours
/// <c>[JsonPropertyName]</c> (Jwt.Net's Newtonsoft default does not) and skips reflection per token.
/// </summary>
internal sealed class SystemTextJsonJwtSerializer : IJsonSerializer
{
    public string Serialize(object obj) => JsonSerializer.Serialize(obj, obj.GetType(), JwtJsonContext.Default);

    public T Deserialize<T>(string json) =>
        (T)(JsonSerializer.Deserialize(json, typeof(T), JwtJsonContext.Default)
            ?? throw new JsonException($"The JSON text is null where a {typeof(T).Name} was expected."));
}
