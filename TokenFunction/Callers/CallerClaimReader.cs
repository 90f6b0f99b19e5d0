using System.Text.Json;
using TokenFunction.VideoSdk;

namespace TokenFunction.Callers;

/// <summary>
/// Reads the caller's participant id and roles from a validated token's JSON payload (as <see cref="CallerTokenFormat"/> read it), where
/// CallerAuth:ParticipantIdClaim and CallerAuth:RolesClaim say. A configured name is a claim name or a path
/// with dots into nested objects: at every level the longest member name that matches wins, so a whole
/// name comes first (Auth0's <c>https://example.com/roles</c>) and a path reaches nested claims
/// (Keycloak's <c>realm_access.roles</c>, <c>resource_access.my.app.roles</c> for a client id with a dot).
/// A refusal names the claim and what is wrong with its type, never its value.
/// </summary>
internal sealed class CallerClaimReader(CallerAuthOptions options)
{
    /// <summary>A JSON string usable as a participant id; a number, null or anything else is refused.</summary>
    public ClaimRead<string> ReadParticipantId(JsonElement payload)
    {
        var name = options.ParticipantIdClaim;
        if (!TryFind(payload, name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return ClaimRead<string>.Refused($"its '{name}' claim is missing");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return ClaimRead<string>.Refused($"its '{name}' claim is {Describe(value.ValueKind)}, not a string");
        }

        var participantId = value.GetString()!;
        return Identifiers.ParticipantId.IsValid(participantId)
            ? ClaimRead<string>.Found(participantId)
            : ClaimRead<string>.Refused($"its '{name}' claim is not usable as a participant id ({Identifiers.ParticipantId.Description})");
    }

    /// <summary>
    /// Roles from an array of strings (each element one role, as it stands) or from one string, split at
    /// spaces the way OAuth writes <c>scope</c> (RFC 6749, 3.3), so a space-separated list is never taken as
    /// one role. Missing or null: no roles. Any other type is refused rather than guessed at.
    /// </summary>
    public ClaimRead<IReadOnlyList<string>> ReadRoles(JsonElement payload)
    {
        var name = options.RolesClaim;
        if (!TryFind(payload, name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return ClaimRead<IReadOnlyList<string>>.Found([]);
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return ClaimRead<IReadOnlyList<string>>.Found(
                value.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray());
        }

        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
        {
            return ClaimRead<IReadOnlyList<string>>.Found(value.EnumerateArray().Select(e => e.GetString()!).Distinct(StringComparer.Ordinal).ToArray());
        }

        var found = value.ValueKind == JsonValueKind.Array ? "an array holding more than strings" : Describe(value.ValueKind);
        return ClaimRead<IReadOnlyList<string>>.Refused($"its '{name}' claim is {found}, not a string or an array of strings");
    }

    /// <summary>The member named <paramref name="path"/>, or the longest member name before a dot, then the rest inside it.</summary>
    internal static bool TryFind(JsonElement node, string path, out JsonElement value)
    {
        value = default;
        if (node.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (node.TryGetProperty(path, out value))
        {
            return true;
        }

        for (var dot = path.LastIndexOf('.'); dot > 0; dot = path.LastIndexOf('.', dot - 1))
        {
            if (node.TryGetProperty(path[..dot], out var inner) && inner.ValueKind == JsonValueKind.Object)
            {
                return TryFind(inner, path[(dot + 1)..], out value);
            }
        }

        return false;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "a " + kind.ToString().ToLowerInvariant(),
    };
}

/// <summary>A claim's value, or why the token is refused for it (a reason safe to send back: no claim values).</summary>
internal readonly record struct ClaimRead<T>(T? Value, string? Refusal)
{
    public bool Succeeded => Refusal is null;

    public static ClaimRead<T> Found(T value) => new(value, null);

    public static ClaimRead<T> Refused(string reason) => new(default, reason);
}
