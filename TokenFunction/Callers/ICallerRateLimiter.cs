using TokenFunction.Problems;

namespace TokenFunction.Callers;

/// <summary>One token bucket per caller (<see cref="CallerIdentity.RateLimitKey"/>), shared by every endpoint behind <see cref="CallerGate"/>.</summary>
internal interface ICallerRateLimiter
{
    /// <returns>Null when the caller may go on; otherwise the 429 problem with Retry-After.</returns>
    ValueTask<ApiProblem?> AcquireAsync(CallerIdentity caller, CancellationToken cancellationToken);
}
