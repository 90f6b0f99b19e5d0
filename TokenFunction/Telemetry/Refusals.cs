using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using TokenFunction.Problems;

namespace TokenFunction.Telemetry;

/// <summary>
/// Every refused request, counted per request on the <see cref="TelemetryNames.RequestsRefused"/> counter and
/// logged in lines that stay few under load: one when a kind of refusal starts, one summary per kind and
/// <see cref="Window"/> while it goes on, one when it stops. (During a Key Vault outage the worker used to write
/// one warning per refused request, thousands a second, exactly when someone is reading the logs.)
/// </summary>
internal sealed partial class Refusals : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<ErrorCode, Tally> _tallies = new();
    private readonly ServiceMetrics _metrics;
    private readonly ILogger<Refusals> _logger;
    private readonly ITimer _timer;

    public Refusals(ServiceMetrics metrics, TimeProvider timeProvider, ILogger<Refusals> logger)
    {
        _metrics = metrics;
        _logger = logger;
        _timer = timeProvider.CreateTimer(_ => Summarize(), null, Window, Window);
    }

    private sealed class Tally
    {
        public long Count;
        public int Active;
    }

    public void Record(ApiProblem problem)
    {
        _metrics.RequestRefused(problem.Error);
        var tally = _tallies.GetOrAdd(problem.Error, static _ => new Tally());
        Interlocked.Increment(ref tally.Count);
        if (Interlocked.CompareExchange(ref tally.Active, 1, 0) == 0)
        {
            // The detail of a server-side refusal says what is wrong (which credential, which upstream answer);
            // a client's refusal describes what the client sent, which is not ours to log.
            if (IsServerSide(problem.Error))
            {
                LogServerRefusalsStarted((int)problem.Error.Status, problem.Error.Code, problem.Detail);
            }
            else
            {
                LogClientRefusalsStarted((int)problem.Error.Status, problem.Error.Code);
            }
        }
    }

    /// <summary>Runs every <see cref="Window"/>: one summary per kind refused in it, one "stopped" per kind that went quiet.</summary>
    private void Summarize()
    {
        foreach (var (error, tally) in _tallies)
        {
            var count = Interlocked.Exchange(ref tally.Count, 0);
            if (count > 0)
            {
                var level = IsServerSide(error) ? LogLevel.Warning : LogLevel.Information;
                LogSummary(level, count, (int)error.Status, error.Code, Window);
            }
            else if (Interlocked.CompareExchange(ref tally.Active, 0, 1) == 1)
            {
                LogStopped((int)error.Status, error.Code, Window);
            }
        }
    }

    public void Dispose() => _timer.Dispose();

    private static bool IsServerSide(ErrorCode error) => (int)error.Status >= 500;

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Requests are being refused with {StatusCode} {ErrorCode}: {Detail}")]
    private partial void LogServerRefusalsStarted(int statusCode, string errorCode, string detail);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Requests are being refused with {StatusCode} {ErrorCode}")]
    private partial void LogClientRefusalsStarted(int statusCode, string errorCode);

    [LoggerMessage(EventId = 5002, Message = "{Count} requests refused with {StatusCode} {ErrorCode} in the last {Window}")]
    private partial void LogSummary(LogLevel level, long count, int statusCode, string errorCode, TimeSpan window);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information,
        Message = "Requests are no longer refused with {StatusCode} {ErrorCode}: none in the last {Window}")]
    private partial void LogStopped(int statusCode, string errorCode, TimeSpan window);
}
