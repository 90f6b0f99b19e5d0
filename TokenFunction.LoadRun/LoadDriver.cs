using System.Diagnostics;
using System.Net;

namespace TokenFunction.LoadRun;

/// <summary>
/// Sends a fixed number of requests with a fixed number in flight (closed loop: each of the
/// <c>concurrency</c> callers sends its next request when its previous one is answered).
/// </summary>
public sealed class LoadDriver(HttpClient client, Func<HttpRequestMessage> newRequest, HttpStatusCode expectedStatus = HttpStatusCode.OK)
{
    public async Task<LoadResult> RunAsync(int requests, int concurrency)
    {
        var latencies = new long[requests];
        var next = -1;
        var errors = 0;
        var total = Stopwatch.StartNew();

        async Task CallerAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < requests)
            {
                var started = Stopwatch.GetTimestamp();
                if (!await SucceedsAsync().ConfigureAwait(false))
                {
                    Interlocked.Increment(ref errors);
                }

                latencies[index] = Stopwatch.GetTimestamp() - started;
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(CallerAsync))).ConfigureAwait(false);
        return new LoadResult(concurrency, requests, errors, total.Elapsed, latencies);
    }

    private async Task<bool> SucceedsAsync()
    {
        try
        {
            using var request = newRequest();
            using var response = await client.SendAsync(request).ConfigureAwait(false);
            // Read the body as a client would; a 200 is only a success with a body (the token).
            var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            return response.StatusCode == expectedStatus && (expectedStatus != HttpStatusCode.OK || body.Length > 0);
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
