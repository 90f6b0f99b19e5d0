using Microsoft.Azure.Functions.Worker.Http;
using TokenFunction.Problems;

namespace TokenFunction.Callers;

/// <summary>Takes the token out of <c>Authorization: Bearer &lt;token&gt;</c>, refusing every other shape.</summary>
internal static class BearerTokenReader
{
    private const string Scheme = "Bearer ";

    /// <summary>Real caller tokens are a few kilobytes; anything far larger is refused before it is parsed.</summary>
    public const int MaxTokenLength = 16 * 1024;

    private static readonly char[] OptionalWhiteSpace = [' ', '\t'];

    public static Outcome<string> Read(HttpHeadersCollection headers)
    {
        if (!headers.TryGetValues("Authorization", out var values) || values.ToArray() is not [var value])
        {
            return values is null
                ? BearerChallenge.Missing("Sign the user in with the identity provider and send its access token as 'Authorization: Bearer <token>'.")
                : BearerChallenge.InvalidToken("send exactly one Authorization header");
        }

        // Header values arrive trimmed, so "Bearer " with nothing after it is "Bearer".
        if (value.Trim(OptionalWhiteSpace).Equals(Scheme.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return BearerChallenge.Missing("The Authorization header holds no token after 'Bearer'.");
        }

        if (!value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return BearerChallenge.Missing("The Authorization header must use the Bearer scheme: 'Authorization: Bearer <token>'.");
        }

        // RFC 6750 (2.1): one or more spaces after the scheme, and HTTP's optional white space (space, tab) at the
        // end. Nothing else is taken off: any other character is part of the token, and judged with it.
        var token = value[Scheme.Length..].Trim(OptionalWhiteSpace);
        return token.Length > MaxTokenLength
            ? BearerChallenge.InvalidToken($"the token is longer than {MaxTokenLength} characters")
            : token;
    }
}
