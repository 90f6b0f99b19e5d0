using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using TokenFunction.Secrets;
using TokenFunction.StandIns;
using TokenFunction.StandIns.FunctionsHost;

namespace TokenFunction.LoadRun;

/// <summary>Everything measured on one freshly started server process (a worker behind the host stand-in, or the Node peer).</summary>
/// <param name="StartToLoaded">Process start until it can take requests: every function loaded (a worker), listening (the Node peer).</param>
/// <param name="ColdStart">The worker's start-up phases; null for the Node peer.</param>
/// <param name="Trace">The worker's traced cold-start events (--trace true), else empty.</param>
/// <param name="Failures">One line per failed step: the step's name and its first failing request.</param>
public sealed record RunResult(
    Subject Subject, int Run, TimeSpan StartToLoaded, TimeSpan StartToFirstResponse, TimeSpan CpuToFirstResponse, ColdStartPhases? ColdStart, IReadOnlyList<StepResult> Steady,
    IReadOnlyDictionary<string, StepResult> Breakdown, long? PeakResidentBytes, VaultReads? VaultReads, IReadOnlyList<string> Failures,
    IReadOnlyList<StartupEvent> Trace)
{
    public string Summary() =>
        $"{Subject.Name()} run {Run}: loaded {StartToLoaded.TotalMilliseconds:0} ms, first response {StartToFirstResponse.TotalMilliseconds:0} ms (CPU {CpuToFirstResponse.TotalMilliseconds:0} ms); " +
        string.Join("; ", Steady.Select(t => $"c={t.Concurrency} {t.RequestsPerSecond:0} rps p50 {t.P50Ms:0.00} ms p99 {t.P99Ms:0.00} ms worker CPU {t.WorkerCpuUsPerRequest:0} µs/request errors {t.Errors}")) +
        $"; VmHWM {PeakResidentBytes / (1024 * 1024)} MiB" +
        (VaultReads is { } reads ? $"; Key Vault GETs: {reads.ToFirstToken} to the first token, {reads.AfterFirstToken} over {reads.RequestsAfterFirstToken} more requests" : "") +
        (Failures.Count > 0 ? $"; {Failures.Count} FAILED step(s)" : "");
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
    /// <summary>The [AssemblyMetadata] key under which the csproj records the floor app's build output.</summary>
    public const string FloorAppMetadataKey = "FloorAppTargetPath";

    /// <summary>The start of the worker's log line when a shared rate-limit check falls back (EventId 3020).</summary>
    private const string SharedLimitFellBack = "The shared rate limit (Redis";

    private static readonly HttpClient FirstCaller = new(new SocketsHttpHandler { UseProxy = false });

    /// <summary>The VideoSDK API key every subject signs with (public in every token; the secret is new per worker).</summary>
    private const string ApiKey = "load-run-api-key";

    /// <summary>A started server, as the measurements see it, whatever runs it.</summary>
    private sealed record Server(Uri BaseAddress, int ProcessId, long StartedTimestamp, long ReadyTimestamp,
        Func<TimeSpan> ProcessorTime, Func<long?> PeakResidentBytes, Func<string> Tail);

    /// <param name="app">The worker's build output; null for the Node peer.</param>
    /// <param name="cpuLimit">Where the server process runs, when the run limits its CPU share.</param>
    internal static async Task<RunResult> RunOnceAsync(Subject subject, int run, FunctionAppBuildOutput? app, LoadRunOptions options, CpuLimit? cpuLimit = null)
    {
        if (subject == Subject.NodePeer)
        {
            var secret = NewSecret();
            await using var peer = await NodePeer.StartAsync(ApiKey, secret, cpuLimit is null ? null : cpuLimit.Launcher);
            var server = new Server(peer.BaseAddress, peer.Id, peer.StartedTimestamp, peer.ListeningTimestamp, peer.TotalProcessorTime, () => peer.PeakResidentBytes(), peer.Tail);
            return await MeasureAsync(subject, run, server, LoadTarget.NodeToken, options, azure: null, phases: null,
                body => NodePeer.DescribeUnfaithfulTokenAsync(body, ApiKey, secret, LoadTarget.RoomId));
        }

        await using var azure = subject.ReadsVault() ? await AzureStandIns.StartAsync() : null;
        // A fresh, empty redis-server per worker, on loopback: what one Redis round trip per request costs, not Azure's network.
        await using var redis = subject == Subject.Redis ? await RedisServer.StartAsync() : null;
        var launched = cpuLimit is null ? app! : app! with { ExecutablePath = cpuLimit.Launcher(app!.ExecutablePath) };
        var hostOptions = new FunctionsHostOptions { App = launched }
            .WithSetting("DOTNET_STARTUP_HOOKS", typeof(StartupHook).Assembly.Location)
            // Every load request comes from one address: a per-caller limit would measure the limiter, not the endpoint.
            .WithSetting("RateLimit__Burst", "100000")
            .WithSetting("RateLimit__TokensPerPeriod", "100000");
        if (options.Trace)
        {
            hostOptions.WithSetting(StartupHook.TraceSetting, "true");
        }

        foreach (var (name, value) in options.Settings ?? [])
        {
            hostOptions.WithSetting(name, value);
        }

        if (subject.Exports())
        {
            hostOptions.WithSetting("OTEL_EXPORTER_OTLP_ENDPOINT", options.OtlpEndpoint
                ?? throw new InvalidOperationException("The exporting subjects need an OTLP endpoint."));
        }

        if (azure is not null)
        {
            // As deployed: nothing secret in the settings; the refresh interval as asked (--refresh-seconds), else the app's.
            azure.PutCredentials(ApiKey, NewSecret());
            azure.PointWorkerAt(hostOptions, options.RefreshInterval);
        }
        else if (subject.IsTokenFunction())
        {
            hostOptions
                .WithSetting("KeyVault__VaultUri", "")
                .WithSetting("VideoSdk__ApiKey", ApiKey)
                .WithSetting("VideoSdk__ApiSecret", NewSecret());
        }

        if (redis is not null)
        {
            hostOptions
                .WithSetting("RateLimit__Redis__Host", redis.Host)
                .WithSetting("RateLimit__Redis__Port", redis.Port.ToString(CultureInfo.InvariantCulture))
                .WithSetting("RateLimit__Redis__UseTls", "false")
                .WithSetting("RateLimit__Redis__KeySecret", NewSecret())
                // The longest bound the app allows: this subject measures what a shared check costs, and on two shared
                // cores a check can outlast the default 100 ms while the worker starts (a fallback fails the run).
                .WithSetting("RateLimit__Redis__CheckTimeout", "00:00:01");
        }

        FunctionsHost host;
        try
        {
            host = await FunctionsHost.StartAsync(hostOptions);
        }
        catch (InvalidOperationException failure)
        {
            throw new InvalidOperationException($"worker start: {failure.Message}", failure);
        }

        await using var started = host;
        var worker = new Server(host.BaseAddress, host.Worker.Id, host.Worker.StartedTimestamp, host.LoadedTimestamp,
            host.Worker.TotalProcessorTime, host.Worker.PeakResidentBytes, () => host.Log.Tail());
        return await MeasureAsync(subject, run, worker, subject == Subject.Floor ? LoadTarget.Ping : LoadTarget.Token, options, azure,
            (firstResponse, cpu) => ColdStartPhases.From(host, firstResponse, cpu),
            sharedLimitFellBack: redis is null ? null : () => host.Log.Snapshot().Any(e => e.Message.StartsWith(SharedLimitFellBack, StringComparison.Ordinal)));
    }

    /// <param name="describeUnfaithfulToken">For the Node peer: what is wrong with its first token's body, or null.</param>
    /// <param name="sharedLimitFellBack">For the redis subject: whether the worker logged a fallback to its own buckets.</param>
    private static async Task<RunResult> MeasureAsync(Subject subject, int run, Server server, LoadTarget target, LoadRunOptions options, AzureStandIns? azure,
        Func<TimeSpan, TimeSpan, (ColdStartPhases Phases, IReadOnlyList<StartupEvent> Trace)>? phases, Func<string, Task<string?>>? describeUnfaithfulToken = null,
        Func<bool>? sharedLimitFellBack = null)
    {
        var loaded = Stopwatch.GetElapsedTime(server.StartedTimestamp, server.ReadyTimestamp);
        List<string> failures = [];

        // Cold start as a caller sees it: the first request over TCP as soon as the server takes requests.
        using var firstRequest = target.NewRequest();
        firstRequest.RequestUri = new Uri(server.BaseAddress, target.Path);
        using var firstResponse = await FirstCaller.SendAsync(firstRequest);
        var firstResponded = Stopwatch.GetElapsedTime(server.StartedTimestamp);
        var cpuToFirstResponse = server.ProcessorTime();
        if (firstResponse.StatusCode != target.Expected)
        {
            throw new InvalidOperationException($"first request: {target} → {(int)firstResponse.StatusCode}: " +
                $"{await firstResponse.Content.ReadAsStringAsync()}{Environment.NewLine}Server output (last lines):{Environment.NewLine}{server.Tail()}");
        }

        if (describeUnfaithfulToken is not null && await describeUnfaithfulToken(await firstResponse.Content.ReadAsStringAsync()) is { } unfaithful)
        {
            throw new InvalidOperationException($"first request: {target}: {unfaithful}");
        }

        var coldStart = phases?.Invoke(firstResponded, cpuToFirstResponse);
        var readsToFirstToken = azure?.CredentialReadCount;
        var sinceFirstToken = Stopwatch.StartNew();

        async Task<IReadOnlyList<StepResult>> Load(LoadTarget stepTarget, int requests, int warmup, IReadOnlyList<int> concurrencies)
        {
            IReadOnlyList<StepResult> results;
            try
            {
                results = await LoadClient.RunProcessAsync(server.BaseAddress, server.ProcessId, stepTarget, requests, warmup, concurrencies);
            }
            catch (InvalidOperationException failure)
            {
                throw new InvalidOperationException($"{stepTarget} at concurrency {string.Join(", ", concurrencies)}: {failure.Message}", failure);
            }

            foreach (var failed in results.Where(r => r.Errors > 0))
            {
                failures.Add($"{subject.Name()} run {run}: {stepTarget} at concurrency {failed.Concurrency}: {failed.Errors} of {failed.Requests} requests failed; " +
                    $"first failing request: {failed.FirstFailure}");
            }

            return results;
        }

        var steady = await Load(target, options.Requests, options.Warmup, options.Concurrencies);
        var peak = server.PeakResidentBytes();

        // Where a request's time goes, at concurrency 1: the host stand-in alone (404, no gRPC), the gRPC hop
        // and the worker's pipeline with a trivial function (health), and the token endpoint again.
        Dictionary<string, StepResult> breakdown = [];
        if (subject.IsTokenFunction())
        {
            var breakdownRequests = Math.Max(1, options.Requests / 5);
            foreach (var stepTarget in new[] { LoadTarget.Missing, LoadTarget.Health, LoadTarget.Token })
            {
                breakdown[stepTarget.Name] = (await Load(stepTarget, breakdownRequests, Math.Min(options.Warmup, breakdownRequests), [1])).Single();
            }
        }

        if (sharedLimitFellBack?.Invoke() == true)
        {
            // Its own buckets answered some requests: the figures would not be the shared limit's.
            failures.Add($"{subject.Name()} run {run}: the worker fell back to its own buckets (a Redis check failed or outlasted its bound)");
        }

        var vaultReads = readsToFirstToken is { } atFirst
            ? new VaultReads(atFirst, azure!.CredentialReadCount - atFirst,
                steady.Sum(s => s.Requests + Math.Max(options.Warmup, s.Concurrency)) + TokenRequests(breakdown["token"], options.Warmup),
                sinceFirstToken.Elapsed, options.RefreshInterval ?? new KeyVaultOptions().RefreshInterval)
            : null;
        return new RunResult(subject, run, loaded, firstResponded, cpuToFirstResponse, coldStart?.Phases, steady, breakdown, peak, vaultReads, failures,
            coldStart?.Trace ?? []);
    }

    // The steps' warm-up requests are tokens too.
    private static int TokenRequests(StepResult step, int warmup) => step.Requests + Math.Max(Math.Min(warmup, step.Requests), step.Concurrency);

    private static string NewSecret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
}
