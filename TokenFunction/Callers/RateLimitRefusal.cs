using TokenFunction.Problems;

namespace TokenFunction.Callers;

/// <summary>The one 429 answer of every limiter, in memory or shared.</summary>
internal static class RateLimitRefusal
{
    public static ApiProblem Create(RateLimitOptions options, TimeSpan retryAfter) =>
        new(ErrorCodes.RateLimited,
            $"Too many requests from this caller: at most {options.Burst} at once and {options.TokensPerPeriod} per {options.ReplenishmentPeriod}. Retry after the Retry-After header's seconds.")
        {
            RetryAfter = retryAfter,
        };
}
