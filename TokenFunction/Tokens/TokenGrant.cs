namespace TokenFunction.Tokens;

/// <summary>What policy decided this caller gets: the minter signs exactly this, nothing more.</summary>
public sealed record TokenGrant(
    IReadOnlyList<string> Permissions,
    string? RoomId,
    string? ParticipantId,
    TimeSpan Lifetime)
{
    /// <summary>The policy rules (named by their settings) that granted the permissions, for the audit line.</summary>
    public IReadOnlyList<string> GrantedBy { get; init; } = [];
}
