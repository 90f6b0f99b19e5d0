namespace TokenFunction.Tokens;

/// <summary>What a caller asked for; every field is optional and filled from policy when absent.</summary>
public sealed record TokenRequest(
    IReadOnlyList<string?>? Permissions = null,
    string? RoomId = null,
    string? ParticipantId = null,
    int? TtlSeconds = null)
{
    public static TokenRequest Empty { get; } = new();
}
