using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using TokenFunction.LoadRun;
using TokenFunction.Secrets;
using TokenFunction.Tests.TestInfrastructure;
using TokenFunction.Tests.TestInfrastructure.FunctionsHost;

var options = LoadRunOptions.Parse(args);
var app = options.AppDirectory is null ? FunctionAppBuildOutput.FromAssemblyMetadata() : FunctionAppBuildOutput.FromDirectory(options.AppDirectory);
Console.WriteLine($"Worker: {app.WorkerPath}; {options.Runs} runs of {options.Requests} requests at concurrency {string.Join(", ", options.Concurrencies)}");

var runs = new List<RunResult>();
for (var run = 1; run <= options.Runs; run++)
{
    var result = await LoadRun.RunOnceAsync(app, options);
    runs.Add(result);
    Console.WriteLine(result.Summary(run));
}

var report = LoadRunReport.Render(app, options, runs);
Console.WriteLine(report);
if (options.OutputFile is not null)
{
    await File.WriteAllTextAsync(options.OutputFile, report);
    Console.WriteLine($"Written to {options.OutputFile}");
}

return runs.Sum(r => r.Errors) == 0 ? 0 : 1;

namespace TokenFunction.LoadRun
{
    /// <summary>Everything measured on one freshly started worker.</summary>
    public sealed record RunResult(
        TimeSpan StartToLoaded, TimeSpan StartToFirstToken, IReadOnlyList<LoadResult> Token,
        LoadResult Rejected, LoadResult Health, LoadResult TokenSequential, long? PeakResidentBytes, VaultReads? VaultReads)
    {
        public int Errors => Token.Sum(t => t.Errors) + Rejected.Errors + Health.Errors + TokenSequential.Errors;

        public string Summary(int run) =>
            $"run {run}: cold start {StartToFirstToken.TotalMilliseconds:0} ms; " +
            string.Join("; ", Token.Select(t => $"c={t.Concurrency} {t.RequestsPerSecond:0} rps p50 {t.PercentileMs(50):0.00} ms p99 {t.PercentileMs(99):0.00} ms errors {t.Errors}")) +
            $"; VmHWM {PeakResidentBytes / (1024 * 1024)} MiB" +
            (VaultReads is { } reads ? $"; Key Vault GETs: {reads.ToFirstToken} to the first token, {reads.AfterFirstToken} over {reads.RequestsAfterFirstToken} more requests in {reads.Elapsed.TotalSeconds:0} s ({reads.Scheduled} scheduled)" : "");
    }

    /// <summary>
    /// Authorized Key Vault GETs (key and secret together): to serve the first token, and over the requests
    /// after it, which took <paramref name="Elapsed"/> while the worker refreshed every <paramref name="RefreshInterval"/>.
    /// </summary>
    public sealed record VaultReads(int ToFirstToken, int AfterFirstToken, int RequestsAfterFirstToken, TimeSpan Elapsed, TimeSpan RefreshInterval)
    {
        private const int SecretsPerRefresh = 2;

        public double PerTenThousandRequests => PerTenThousand(AfterFirstToken);

        /// <summary>Reads the refresh schedule accounts for: one per secret per whole interval elapsed.</summary>
        public int Scheduled => SecretsPerRefresh * (int)(Elapsed / RefreshInterval);

        /// <summary>What requests themselves cost in vault reads; 0 when every request is served from memory.</summary>
        public double BeyondScheduledPerTenThousandRequests => PerTenThousand(Math.Max(0, AfterFirstToken - Scheduled));

        private double PerTenThousand(int reads) => reads * 10_000.0 / RequestsAfterFirstToken;
    }

    public static class LoadRun
    {
        // A realistic request: what a client app asks for when joining a known room.
        private static readonly byte[] TokenRequestBody =
            Encoding.UTF8.GetBytes("{\"permissions\":[\"allow_join\"],\"roomId\":\"abcd-efgh-ijkl\",\"ttlSeconds\":3600}");

        public static async Task<RunResult> RunOnceAsync(FunctionAppBuildOutput app, LoadRunOptions options)
        {
            await using var azure = options.VaultMode ? await AzureStandIns.StartAsync() : null;
            var hostOptions = new FunctionsHostOptions { App = app }
                // Every load request comes from one address: a per-caller limit would measure the limiter, not the endpoint.
                .WithSetting("RateLimit__Burst", "100000")
                .WithSetting("RateLimit__TokensPerPeriod", "100000");
            if (options.OtlpEndpoint is { } otlp)
            {
                hostOptions.WithSetting("OTEL_EXPORTER_OTLP_ENDPOINT", otlp);
            }

            if (azure is null)
            {
                hostOptions
                    .WithSetting("KeyVault__VaultUri", "")
                    .WithSetting("VideoSdk__ApiKey", "load-run-api-key")
                    .WithSetting("VideoSdk__ApiSecret", NewSecret());
            }
            else
            {
                // As deployed: nothing secret in the settings; the refresh interval as asked (--refresh-seconds), else the app's.
                azure.PutCredentials("load-run-api-key", NewSecret());
                azure.PointWorkerAt(hostOptions, options.RefreshInterval);
            }

            await using var host = await FunctionsHost.StartAsync(hostOptions);
            var loaded = Stopwatch.GetElapsedTime(host.Worker.StartedTimestamp);
            using var client = host.CreateClient();

            HttpRequestMessage Token()
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "api/token") { Content = new ByteArrayContent(TokenRequestBody) };
                request.Content.Headers.ContentType = new("application/json");
                request.Headers.Add(HostKeys.HeaderName, host.Keys.FunctionKey);
                return request;
            }

            var first = await new LoadDriver(client, Token).RunAsync(1, 1);
            var firstToken = Stopwatch.GetElapsedTime(host.Worker.StartedTimestamp);
            if (first.Errors > 0)
            {
                throw new InvalidOperationException("The first token request failed:" + Environment.NewLine + host.Log.Tail());
            }

            var readsToFirstToken = azure?.CredentialReadCount;
            var sinceFirstToken = Stopwatch.StartNew();
            var tokenDriver = new LoadDriver(client, Token);
            await tokenDriver.RunAsync(options.Warmup, 8);
            var token = new List<LoadResult>();
            foreach (var concurrency in options.Concurrencies)
            {
                token.Add(await tokenDriver.RunAsync(options.Requests, concurrency));
            }

            // Breakdown at concurrency 1: the stand-in alone (401 before any gRPC), the gRPC hop and
            // worker pipeline with a trivial function (health), and the token endpoint again.
            var breakdownRequests = Math.Max(1, options.Requests / 5);
            var rejected = await new LoadDriver(client, () => new HttpRequestMessage(HttpMethod.Post, "api/token"), HttpStatusCode.Unauthorized)
                .RunAsync(breakdownRequests, 1);
            var health = await new LoadDriver(client, () => new HttpRequestMessage(HttpMethod.Get, "api/health")).RunAsync(breakdownRequests, 1);
            var tokenSequential = await tokenDriver.RunAsync(breakdownRequests, 1);

            var vaultReads = readsToFirstToken is { } atFirst
                ? new VaultReads(atFirst, azure!.CredentialReadCount - atFirst, options.Warmup + token.Sum(t => t.Requests) + breakdownRequests * 2,
                    sinceFirstToken.Elapsed, options.RefreshInterval ?? new KeyVaultOptions().RefreshInterval)
                : null;
            return new RunResult(loaded, firstToken, token, rejected, health, tokenSequential, host.Worker.PeakResidentBytes(), vaultReads);
        }

        private static string NewSecret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
    }
}
