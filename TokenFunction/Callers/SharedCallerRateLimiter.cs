using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RedisRateLimiting;
using StackExchange.Redis;
using TokenFunction.Problems;
using TokenFunction.Telemetry;

namespace TokenFunction.Callers;

/// <summary>
/// One token bucket per caller for every instance, in Redis (RedisRateLimiting's token bucket script), with the
/// settings and answers of the in-memory limiter. A check that fails or outlasts
/// <see cref="SharedRateLimitOptions.CheckTimeout"/> is decided by this instance's own bucket instead, counted on
/// <see cref="TelemetryNames.RateLimitFallbacks"/>; the instance then stays on its own buckets, letting one request
/// per <see cref="SharedRateLimitOptions.RetryInterval"/> try Redis again, and logs only the two state changes.
/// </summary>
internal sealed partial class SharedCallerRateLimiter : ICallerRateLimiter, IDisposable
{
    private readonly RateLimitOptions _options;
    private readonly SharedRateLimitConnection _connection;
    private readonly SharedBucketNames _names;
    private readonly CallerRateLimiter _fallback;
    private readonly ServiceMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SharedCallerRateLimiter> _logger;
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly Lock _state = new();
    private string? _outage;
    private long _outageStarted;
    private long _fallbackCount;
    private long _nextAttempt;
    private int _probing;

    public SharedCallerRateLimiter(IOptions<RateLimitOptions> options, SharedRateLimitConnection connection, SharedBucketNames names,
        CallerRateLimiter fallback, ServiceMetrics metrics, TimeProvider timeProvider, ILogger<SharedCallerRateLimiter> logger)
    {
        _options = options.Value;
        _connection = connection;
        _names = names;
        _fallback = fallback;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _logger = logger;
        var bucket = new RedisTokenBucketRateLimiterOptions
        {
            TokenLimit = _options.Burst,
            TokensPerPeriod = _options.TokensPerPeriod,
            ReplenishmentPeriod = _options.ReplenishmentPeriod,
            // Called when a caller's partition is created, always after the connection task completed (AcquireSharedAsync).
            ConnectionMultiplexerFactory = () => _connection.Connected.Result,
        };
        _limiter = PartitionedRateLimiter.Create<string, string>(name => RedisRateLimitPartition.GetTokenBucketRateLimiter(name, _ => bucket));
    }

    /// <summary>Whether checks go to Redis now (false while fallen back).</summary>
    public bool IsShared => Volatile.Read(ref _outage) is null;

    public async ValueTask<ApiProblem?> AcquireAsync(CallerIdentity caller, CancellationToken cancellationToken)
    {
        if (!MayTryShared())
        {
            return await FallBackAsync(caller, Volatile.Read(ref _outage) ?? FailureClasses.Other, cancellationToken).ConfigureAwait(false);
        }

        var check = AcquireSharedAsync(_names.For(caller));
        try
        {
            using var lease = await check.WaitAsync(_options.Redis.CheckTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
            Restored();
            return lease.IsAcquired ? null : RateLimitRefusal.Create(_options, RetryAfter(lease));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The request went away: a probe it carried must not keep the others from trying, and the answer nobody
            // reads comes from this instance's own bucket rather than an exception (which would be a 500).
            Volatile.Write(ref _probing, 0);
            Observe(check);
            return await _fallback.AcquireAsync(caller, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!_connection.Connected.IsCompleted)
        {
            // The instance's first connection is still opening (on a cold instance an Entra token, TLS and AUTH take
            // longer than a check's bound): its own bucket decides, not counted as a fallback, or every scale-out
            // would raise the fallback alert. A first connection that fails is a fallback like any other.
            Observe(check);
            return await _fallback.AcquireAsync(caller, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Observe(check);
            var failure = FailureClasses.Of(exception);
            Failed(failure, exception);
            return await FallBackAsync(caller, failure, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A check abandoned at its bound may still fail later: observed here, it never surfaces as unobserved.</summary>
    private static void Observe(Task<RateLimitLease> check) =>
        _ = check.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private async Task<RateLimitLease> AcquireSharedAsync(string bucket)
    {
        await _connection.Connected.ConfigureAwait(false);
        // RedisRateLimiting's synchronous AttemptAcquire always refuses: only the asynchronous call runs the script.
        return await _limiter.AcquireAsync(bucket).ConfigureAwait(false);
    }

    /// <summary>
    /// RedisRateLimiting's hint is whole seconds to the bucket's next refill, under its own metadata name (the
    /// runtime's <see cref="MetadataName.RetryAfter"/> finds nothing on its leases).
    /// </summary>
    private TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(RateLimitMetadataName.RetryAfter, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : _options.ReplenishmentPeriod;

    private ValueTask<ApiProblem?> FallBackAsync(CallerIdentity caller, string failure, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fallbackCount);
        _metrics.RateLimitFellBack(failure);
        return _fallback.AcquireAsync(caller, cancellationToken);
    }

    /// <summary>Always while shared; while fallen back, one request at a time once the retry interval has passed.</summary>
    private bool MayTryShared()
    {
        if (Volatile.Read(ref _outage) is null)
        {
            return true;
        }

        return _timeProvider.GetTimestamp() >= Volatile.Read(ref _nextAttempt) && Interlocked.CompareExchange(ref _probing, 1, 0) == 0;
    }

    private void Failed(string failure, Exception exception)
    {
        bool started;
        lock (_state)
        {
            started = _outage is null;
            if (started)
            {
                _outage = failure;
                _outageStarted = _timeProvider.GetTimestamp();
                _fallbackCount = 0;
            }

            _nextAttempt = _timeProvider.GetTimestamp() + (long)(_options.Redis.RetryInterval.TotalSeconds * _timeProvider.TimestampFrequency);
            _probing = 0;
        }

        if (started)
        {
            LogFellBack(_names.Prefix, failure, exception.GetType().Name, _options.Redis.RetryInterval);
        }
    }

    private void Restored()
    {
        if (Volatile.Read(ref _outage) is null)
        {
            return;
        }

        TimeSpan duration;
        long count;
        lock (_state)
        {
            if (_outage is null)
            {
                return;
            }

            _outage = null;
            _probing = 0;
            duration = _timeProvider.GetElapsedTime(_outageStarted);
            count = _fallbackCount;
        }

        LogRestored(duration, count);
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>Bounded names of why a check fell back, for the metric and the log line.</summary>
    internal static class FailureClasses
    {
        public const string Timeout = "timeout";
        public const string Connection = "connection";
        public const string ServerError = "server_error";
        public const string Other = "other";

        public static string Of(Exception exception) => exception switch
        {
            TimeoutException or RedisTimeoutException => Timeout,
            RedisConnectionException => Connection,
            RedisServerException => ServerError,
            _ => Other,
        };
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Warning,
        Message = "The shared rate limit (Redis, buckets {KeyPrefix}:*) failed ({Failure}, {ExceptionType}): this instance limits callers with its own buckets until Redis answers again; trying again every {RetryInterval}")]
    private partial void LogFellBack(string keyPrefix, string failure, string exceptionType, TimeSpan retryInterval);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Information,
        Message = "The shared rate limit answers again after {Duration}; {Count} checks were decided by this instance's own buckets meanwhile")]
    private partial void LogRestored(TimeSpan duration, long count);
}
