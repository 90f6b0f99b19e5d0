using System.Text.Json.Serialization;
using TokenFunction.Tokens;

namespace TokenFunction.Functions;

/// <summary>The 200 answer of the token endpoint.</summary>
internal sealed record TokenResponse(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("expiresAt")] DateTime ExpiresAt,
    [property: JsonPropertyName("permissions")] IReadOnlyList<string> Permissions,
    [property: JsonPropertyName("roomId"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? RoomId,
    [property: JsonPropertyName("participantId"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ParticipantId)
{
    public static TokenResponse From(IssuedToken token) =>
        new(token.Token, token.ExpiresAt.UtcDateTime, token.Grant.Permissions, token.Grant.RoomId, token.Grant.ParticipantId);
}
