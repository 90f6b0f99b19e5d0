using System.Diagnostics;
using System.Net;

namespace TokenFunction.LoadRun;

/// <summary>
/// Sends a fixed number of requests with a fixed number in flight (closed loop: each of the
/// <c>concurrency</c> callers sends its next request when its previous one is answered).
/// </summary>
public sealed class LoadDriver(HttpClient client, LoadTarget target)
{
    public async Task<StepResult> RunAsync(int requests, int concurrency)
    {
        var latencies = new long[requests];
        var next = -1;
        var errors = 0;
        string? firstFailure = null;
        var total = Stopwatch.StartNew();

        async Task CallerAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < requests)
            {
                var started = Stopwatch.GetTimestamp();
                var failure = await SendAsync().ConfigureAwait(false);
                latencies[index] = Stopwatch.GetTimestamp() - started;
                if (failure is not null)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstFailure, failure, null);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(CallerAsync))).ConfigureAwait(false);
        var elapsed = total.Elapsed;
        Array.Sort(latencies);
        return new StepResult(concurrency, requests, errors, elapsed.TotalSeconds, Percentile(latencies, 50), Percentile(latencies, 99), firstFailure);
    }

    /// <summary>Null on success; otherwise what a reader needs to see which request failed and how.</summary>
    private async Task<string?> SendAsync()
    {
        try
        {
            using var request = target.NewRequest();
            using var response = await client.SendAsync(request).ConfigureAwait(false);
            // Read the body as a client would; a 200 is only a success with a body (the token).
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            var succeeded = response.StatusCode == target.Expected && (target.Expected != HttpStatusCode.OK || body.Length > 0);
            return succeeded ? null
                : $"{target} → {(int)response.StatusCode} {response.StatusCode}, expected {(int)target.Expected}: {body[..Math.Min(body.Length, 300)]}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or OperationCanceledException)
        {
            return $"{target} → {ex.GetType().Name}: {ex.Message}";
        }
    }

    private static double Percentile(long[] sorted, double percentile)
    {
        var index = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp(index, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}

/// <summary>One load step as the client process reports it.</summary>
/// <param name="WorkerCpuUsPerRequest">The worker's CPU time over the measured requests, per request (µs).</param>
/// <param name="HostCpuUsPerRequest">The same for the host stand-in's process (HTTP front, routing, gRPC).</param>
public sealed record StepResult(int Concurrency, int Requests, int Errors, double ElapsedSeconds, double P50Ms, double P99Ms, string? FirstFailure,
    double WorkerCpuUsPerRequest = 0, double HostCpuUsPerRequest = 0)
{
    public double RequestsPerSecond => Requests / ElapsedSeconds;
}
