using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using TokenFunction.Problems;

namespace TokenFunction.Callers;

/// <summary>
/// One token bucket per caller (<see cref="CallerIdentity.RateLimitKey"/>), in this instance's memory, shared by every
/// endpoint behind <see cref="CallerGate"/>: a caller has one budget, not one per route to spread a flood across.
/// The default, and the shared limiter's fallback while Redis does not answer.
/// </summary>
internal sealed class CallerRateLimiter : ICallerRateLimiter, IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly RateLimitOptions _options;

    public CallerRateLimiter(IOptions<RateLimitOptions> options)
    {
        _options = options.Value;
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = _options.Burst,
            TokensPerPeriod = _options.TokensPerPeriod,
            ReplenishmentPeriod = _options.ReplenishmentPeriod,
            // Refused at once rather than queued: a client told to retry holds no worker thread meanwhile.
            QueueLimit = 0,
            // The partitioned limiter's own periodic tick refills every bucket (and drops idle full ones),
            // instead of one timer per caller.
            AutoReplenishment = false,
        };
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => bucket));
    }

    /// <summary>Decided at once in memory (the runtime's token bucket), so it completes synchronously.</summary>
    public ValueTask<ApiProblem?> AcquireAsync(CallerIdentity caller, CancellationToken cancellationToken) => ValueTask.FromResult(TryAcquire(caller));

    private ApiProblem? TryAcquire(CallerIdentity caller)
    {
        using var lease = _limiter.AttemptAcquire(caller.RateLimitKey);
        if (lease.IsAcquired)
        {
            return null;
        }

        return RateLimitRefusal.Create(_options, lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : _options.ReplenishmentPeriod);
    }

    public void Dispose() => _limiter.Dispose();
}
