using TokenFunction.Problems;

namespace TokenFunction.Callers;

/// <summary>The 401 answers of RFC 6750: a WWW-Authenticate challenge and the same reason as problem+json.</summary>
internal static class BearerChallenge
{
    /// <summary>No credentials at all: RFC 6750 (3.1) says the challenge then carries no error code.</summary>
    public static ApiProblem Missing(string detail) =>
        new(ErrorCodes.CallerTokenMissing, detail) { WwwAuthenticate = "Bearer" };

    /// <summary>A token was sent and refused; <paramref name="reason"/> is ours (never token content), so it is safe to repeat.</summary>
    public static ApiProblem InvalidToken(string reason) =>
        new(ErrorCodes.CallerTokenInvalid, $"The bearer token was refused: {reason}.")
        {
            WwwAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{QuotedStringSafe(reason)}\"",
        };

    /// <summary>error_description allows printable ASCII except the quote and the backslash (RFC 6750, 3).</summary>
    private static string QuotedStringSafe(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '?'));
}
