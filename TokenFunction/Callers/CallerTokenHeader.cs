using System.Text.Json;

namespace TokenFunction.Callers;

/// <summary>The header rules Microsoft.IdentityModel has no option for, checked before any key is looked up.</summary>
internal static class CallerTokenHeader
{
    /// <param name="header">The header as <see cref="CallerTokenFormat"/> read it: one object, no member twice.</param>
    /// <returns>Why the header is refused; null when it passes.</returns>
    public static string? Refusal(JsonElement header)
    {
        // RFC 7515 §4.1.11: extensions a recipient does not understand must be refused. This service understands
        // none, so any crit is, whatever its value (even the empty or null ones the RFC forbids outright), and
        // however its name is escaped.
        if (header.EnumerateObject().Any(member => member.NameEquals("crit")))
        {
            return "the header has 'crit': this service understands no JWS extension";
        }

        // Every mainstream provider names its key; without a kid the only way to verify is to try every published key.
        return header.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String && kid.GetString()!.Length > 0
            ? null
            : "the header has no kid (a non-empty string): the authority's signing keys are chosen by kid";
    }
}
