namespace TokenFunction.Tokens;

/// <summary>The wire names of a token request's fields, in JSON bodies and query strings alike.</summary>
internal static class TokenRequestFields
{
    public const string Permissions = "permissions";
    public const string RoomId = "roomId";
    public const string ParticipantId = "participantId";
    public const string TtlSeconds = "ttlSeconds";

    public static IReadOnlyList<string> All { get; } = [Permissions, RoomId, ParticipantId, TtlSeconds];
}
