namespace TokenFunction.Callers;

/// <summary>
/// Who is asking: a participant id verified from a bearer token with the caller's roles, or an anonymous
/// caller known only by its network address (anonymous mode).
/// </summary>
public sealed record CallerIdentity
{
    private CallerIdentity(string? participantId, IReadOnlyList<string> roles, string? clientAddress)
    {
        ParticipantId = participantId;
        Roles = roles;
        ClientAddress = clientAddress;
    }

    /// <summary>The verified id; null for an anonymous caller.</summary>
    public string? ParticipantId { get; }

    public IReadOnlyList<string> Roles { get; }

    /// <summary>From X-Forwarded-For as the platform's front end set it; null when unknown (local runs).</summary>
    public string? ClientAddress { get; }

    public bool IsAnonymous => ParticipantId is null;

    /// <summary>One bucket per signed-in caller; anonymous callers share one per address.</summary>
    public string RateLimitKey => IsAnonymous ? $"address:{ClientAddress ?? "unknown"}" : $"caller:{ParticipantId}";

    public static CallerIdentity Anonymous(string? clientAddress) => new(null, [], clientAddress);

    public static CallerIdentity Authenticated(string participantId, IReadOnlyList<string> roles, string? clientAddress) =>
        new(participantId, roles, clientAddress);

    /// <summary>For log lines: who, never any credential.</summary>
    public override string ToString() =>
        IsAnonymous ? $"anonymous caller at {ClientAddress ?? "an unknown address"}" : $"caller '{ParticipantId}'";
}
