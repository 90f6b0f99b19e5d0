namespace TokenFunction.Problems;

/// <summary>One field-level reason a request was refused.</summary>
public sealed record FieldError(string Field, string Code, string Detail);

/// <summary>
/// A refusal, written as RFC 9457 problem+json. <see cref="Detail"/> and field details are written for a
/// developer reading the response: they may name what was sent wrong, but never echo secrets or tokens.
/// </summary>
public sealed record ApiProblem(ErrorCode Error, string Detail)
{
    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    /// <summary>Set on 429 and 503 answers.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The challenge of a 401 answer (RFC 6750), as its <c>WWW-Authenticate</c> header.</summary>
    public string? WwwAuthenticate { get; init; }

    /// <summary>The methods a 405 answer allows, as its <c>Allow</c> header.</summary>
    public string? Allow { get; init; }

    public static ApiProblem ForFields(IReadOnlyList<FieldError> errors)
    {
        var first = errors[0];
        var error = ErrorCodes.All.Single(e => e.Code == first.Code);
        var detail = errors.Count == 1 ? first.Detail : $"{first.Detail} (and {errors.Count - 1} more: see errors)";
        return new ApiProblem(error, detail) { Errors = errors };
    }

    /// <summary>405, with the <c>Allow</c> header RFC 9110 requires; <paramref name="allowed"/> as written there ("GET, POST").</summary>
    public static ApiProblem MethodNotAllowed(string? method, string allowed) =>
        new(ErrorCodes.MethodNotAllowed, $"Use {allowed.Replace(", ", " or ", StringComparison.Ordinal)} for this endpoint, not {Describe.Value(method)}.")
        {
            Allow = allowed,
        };

    public static ApiProblem ForField(ErrorCode error, string field, string detail) =>
        new(error, detail) { Errors = [new FieldError(field, error.Code, detail)] };
}
