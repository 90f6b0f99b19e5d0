using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using TokenFunction.Functions;
using TokenFunction.Secrets;
using TokenFunction.Telemetry;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Secrets;

/// <summary>
/// When the app reads Key Vault, and what a caller and an operator are told meanwhile: the back-off during an
/// outage, the refresh interval once it is over, one shared read at a time, the exact staleness bound, and the
/// log events and failure counter of each read. The clock is
/// fake and the refresh loop's timers are observed as it arms them, so every figure is exact: no test here
/// waits on real time.
/// </summary>
public sealed class KeyVaultScheduleTests : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private readonly ScriptedVault _vault = new();
    /// <summary>Each read's own bound; not a length the loop waits, so the clock can tell its timer from the loop's.</summary>
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(45);

    private readonly ScheduleClock _clock = new() { PassOver = [FetchTimeout, Refusals.Window] };
    private readonly TestApp _app;
    private KeyVaultRefreshService? _refresh;

    public KeyVaultScheduleTests()
    {
        _app = VaultModeApp(TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));
    }

    private TestApp VaultModeApp(TimeSpan refreshInterval, TimeSpan maxStaleness, bool keyInVault = false) => new(
        new Dictionary<string, string?>
        {
            // Empty: the key is read from the vault beside the secret, a load is two reads.
            ["VideoSdk:ApiKey"] = keyInVault ? "" : TestApp.ApiKey,
            ["KeyVault:VaultUri"] = "https://kv-schedule.vault.azure.net/",
            ["KeyVault:RefreshInterval"] = refreshInterval.ToString("c"),
            ["KeyVault:MaxStaleness"] = maxStaleness.ToString("c"),
            ["KeyVault:FetchTimeout"] = FetchTimeout.ToString("c"),
            // With a vault the secret must not be a setting; the key stays one, so a load is exactly one read.
            ["VideoSdk:ApiSecret"] = "",
            // Out of the way: these tests count vault reads, not requests.
            ["RateLimit:Burst"] = "1000",
            ["RateLimit:TokensPerPeriod"] = "1000",
        },
        services => services.AddSingleton(_vault.Client).AddSingleton<TimeProvider>(_clock));

    public async ValueTask DisposeAsync()
    {
        if (_refresh is not null)
        {
            await _refresh.StopAsync(CancellationToken.None);
        }

        _vault.Release();
        _app.Dispose();
    }

    private Task StartRefreshLoopAsync(TestApp app)
    {
        _refresh = app.Get<IEnumerable<IHostedService>>().OfType<KeyVaultRefreshService>().Single();
        return _refresh.StartAsync(CancellationToken.None);
    }

    private static async Task<ReadResponse> RequestTokenAsync(TestApp app)
    {
        var request = FakeHttpRequestData.Create("GET");
        return ReadResponse.From(await app.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None)));
    }

    [Fact]
    public async Task During_an_outage_the_vault_is_read_after_1_2_4_8_16_then_every_30_seconds_and_each_503_says_when()
    {
        _vault.Failing = true;
        await StartRefreshLoopAsync(_app);

        var reads = 0;
        foreach (var seconds in new[] { 1, 2, 4, 8, 16, 30, 30 })
        {
            var delay = TimeSpan.FromSeconds(seconds);
            Assert.Equal(delay, await _clock.NextTimerAsync());
            Assert.Equal(++reads, _vault.Reads);

            var refused = await RequestTokenAsync(_app);
            refused.AssertProblem(HttpStatusCode.ServiceUnavailable, "signing_credentials_unavailable");
            Assert.Equal(seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Header("Retry-After"));
            Assert.Equal(reads, _vault.Reads);

            // Not a moment early: one tick short of the delay, the vault is left alone.
            _clock.Advance(delay - Tick);
            Assert.Equal(reads, _vault.Reads);
            _clock.Advance(Tick);
        }
    }

    [Fact]
    public async Task Once_the_vault_answers_again_it_is_read_every_refresh_interval_and_tokens_are_served()
    {
        _vault.Failing = true;
        await StartRefreshLoopAsync(_app);
        Assert.Equal(TimeSpan.FromSeconds(1), await _clock.NextTimerAsync());
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(2), await _clock.NextTimerAsync());

        _vault.Failing = false;
        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(TimeSpan.FromMinutes(5), await _clock.NextTimerAsync());
        Assert.Equal(3, _vault.Reads);
        Assert.Equal(HttpStatusCode.OK, (await RequestTokenAsync(_app)).Status);
        Assert.Equal(3, _vault.Reads);

        // A later failure starts the back-off from 1 s again, not where the last outage left it.
        _vault.Failing = true;
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(TimeSpan.FromSeconds(1), await _clock.NextTimerAsync());
        Assert.Equal(HttpStatusCode.OK, (await RequestTokenAsync(_app)).Status);
    }

    [Fact]
    public async Task A_refresh_interval_shorter_than_the_back_off_caps_it()
    {
        using var app = VaultModeApp(TimeSpan.FromSeconds(10), TimeSpan.FromHours(1));
        _vault.Failing = true;
        await StartRefreshLoopAsync(app);

        foreach (var seconds in new[] { 1, 2, 4, 8, 10, 10 })
        {
            var delay = TimeSpan.FromSeconds(seconds);
            Assert.Equal(delay, await _clock.NextTimerAsync());
            _clock.Advance(delay);
        }

        await _refresh!.StopAsync(CancellationToken.None);
        _refresh = null;
    }

    [Fact]
    public async Task The_scheduled_refresh_joins_the_read_a_first_request_started_instead_of_reading_again()
    {
        _vault.Hold();
        var firstRequest = RequestTokenAsync(_app);
        await _vault.NextReadAsync();

        // The refresh loop's own call, made here rather than by starting the loop: since .NET 10 a
        // BackgroundService runs ExecuteAsync on the thread pool, so when the loop's first call lands
        // (during the held read or after it) is not the test's to decide.
        var scheduled = _app.Get<KeyVaultCredentialsCache>().RefreshAsync();
        Assert.False(scheduled.IsCompleted);
        _vault.Release();

        Assert.Equal(HttpStatusCode.OK, (await firstRequest).Status);
        Assert.True(await scheduled);
        Assert.Equal(1, _vault.Reads);
    }

    [Fact]
    public async Task Requests_arriving_during_the_first_read_share_it_and_one_that_fails_answers_503_with_Retry_After()
    {
        _vault.Failing = true;
        _vault.Hold();
        var requests = Enumerable.Range(0, 5).Select(_ => RequestTokenAsync(_app)).ToArray();
        await _vault.NextReadAsync();
        _vault.Release();

        foreach (var response in await Task.WhenAll(requests))
        {
            var problem = response.AssertProblem(HttpStatusCode.ServiceUnavailable, "signing_credentials_unavailable");
            Assert.Equal("1", response.Header("Retry-After"));
            Assert.Equal("Tokens cannot be signed right now: The signing secret could not be loaded from Key Vault. Retry later.",
                problem.GetProperty("detail").GetString());
        }

        Assert.Equal(1, _vault.Reads);

        // Until the schedule tries again, a request is answered at once from memory, without a read of its own.
        var waiting = (await RequestTokenAsync(_app)).AssertProblem(HttpStatusCode.ServiceUnavailable, "signing_credentials_unavailable");
        Assert.Equal("Tokens cannot be signed right now: The signing secret has not been loaded from Key Vault yet. Retry later.",
            waiting.GetProperty("detail").GetString());
        Assert.Equal(1, _vault.Reads);
    }

    [Fact]
    public async Task The_last_good_secret_is_served_up_to_exactly_the_maximum_staleness_and_not_a_tick_longer()
    {
        Assert.Equal(HttpStatusCode.OK, (await RequestTokenAsync(_app)).Status);
        var cache = _app.Get<KeyVaultCredentialsCache>();
        _vault.Failing = true;
        Assert.False(await cache.RefreshAsync());

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.OK, (await RequestTokenAsync(_app)).Status);
        Assert.True(cache.GetHealth().Ready);

        _clock.Advance(Tick);
        var stale = await RequestTokenAsync(_app);
        var problem = stale.AssertProblem(HttpStatusCode.ServiceUnavailable, "signing_credentials_unavailable");
        Assert.Equal("1", stale.Header("Retry-After"));
        Assert.Equal("Tokens cannot be signed right now: The signing secret could not be refreshed for longer than 01:00:00. Retry later.",
            problem.GetProperty("detail").GetString());
        Assert.False(cache.GetHealth().Ready);
        Assert.Equal(2, _vault.Reads);
    }

    [Fact]
    public async Task Health_is_not_ready_until_a_read_succeeds_and_then_says_when_it_loaded()
    {
        var cache = _app.Get<KeyVaultCredentialsCache>();
        Assert.Equal(new CredentialsHealth(false, KeyVaultCredentialsCache.SourceName, null), cache.GetHealth());

        _vault.Failing = true;
        Assert.False(await cache.RefreshAsync());
        Assert.Equal(new CredentialsHealth(false, KeyVaultCredentialsCache.SourceName, null), cache.GetHealth());

        _vault.Failing = false;
        var loadedAt = _clock.GetUtcNow();
        Assert.True(await cache.RefreshAsync());
        Assert.Equal(new CredentialsHealth(true, KeyVaultCredentialsCache.SourceName, loadedAt), cache.GetHealth());
    }

    [Fact]
    public async Task An_operator_sees_each_failed_read_the_recovery_and_a_rotation_as_events_with_their_figures()
    {
        using var failures = new MetricCollector<long>(_app.Get<IMeterFactory>(), TelemetryNames.MeterName, TelemetryNames.KeyVaultRefreshFailures);
        var cache = _app.Get<KeyVaultCredentialsCache>();

        _vault.Failing = true;
        Assert.False(await cache.RefreshAsync());
        Assert.False(await cache.RefreshAsync());
        var failed = CacheEvents().Where(e => e.Id.Id == 1003).ToList();
        Assert.Equal(2, failed.Count);
        Assert.All(failed, e => Assert.Equal(LogLevel.Warning, e.Level));
        Assert.Equal(["1", "2"], failed.Select(e => e.GetStructuredStateValue("ConsecutiveFailures")));
        Assert.Equal(["00:00:01", "00:00:02"], failed.Select(e => e.GetStructuredStateValue("RetryDelay")));
        Assert.All(failed, e => Assert.Equal("Key Vault answered 503 (no error code).", e.GetStructuredStateValue("Failure")));
        Assert.Equal([("server_error", 1L), ("server_error", 1L)],
            failures.GetMeasurementSnapshot().Select(m => ((string)m.Tags[TelemetryNames.Attributes.ErrorType]!, m.Value)));

        _vault.Failing = false;
        Assert.True(await cache.RefreshAsync());
        var recovered = Assert.Single(CacheEvents(), e => e.Id.Id == 1004);
        Assert.Equal(LogLevel.Information, recovered.Level);
        Assert.Equal("2", recovered.GetStructuredStateValue("ConsecutiveFailures"));
        var loaded = Assert.Single(CacheEvents(), e => e.Id.Id == 1001);
        Assert.Equal("v1", loaded.GetStructuredStateValue("SecretVersion"));

        // A later read that brings a new version is a rotation, not a recovery and not a first load.
        Assert.True(await cache.RefreshAsync());
        var rotated = Assert.Single(CacheEvents(), e => e.Id.Id == 1002);
        Assert.Equal("v1", rotated.GetStructuredStateValue("PreviousVersion"));
        Assert.Equal("v2", rotated.GetStructuredStateValue("SecretVersion"));
        Assert.Single(CacheEvents(), e => e.Id.Id == 1004);
        Assert.Single(CacheEvents(), e => e.Id.Id == 1001);
        Assert.Equal(2, failures.GetMeasurementSnapshot().Count);
    }

    [Fact]
    public async Task A_first_load_that_succeeds_is_reported_as_loaded_and_not_as_a_recovery()
    {
        Assert.True(await _app.Get<KeyVaultCredentialsCache>().RefreshAsync());

        var loaded = Assert.Single(CacheEvents());
        Assert.Equal(1001, loaded.Id.Id);
        Assert.Equal("v1", loaded.GetStructuredStateValue("SecretVersion"));
    }

    [Fact]
    public async Task A_failed_read_marks_its_span_as_an_error_with_the_cause_the_log_gives()
    {
        using var testSource = new ActivitySource("TokenFunction.Tests.KeyVaultSchedule");
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TelemetryNames.ActivitySourceName || source == testSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        _vault.Failing = true;

        // Under a span of the test's own, so that other tests' refreshes (the listener is process-wide) are told apart.
        ActivityTraceId trace;
        using (var test = testSource.StartActivity("test"))
        {
            trace = test!.TraceId;
            Assert.False(await _app.Get<KeyVaultCredentialsCache>().RefreshAsync());
        }

        var refresh = Assert.Single(spans, s => s.TraceId == trace && s.DisplayName == ServiceActivities.RefreshSigningCredentials);
        Assert.Equal(ActivityStatusCode.Error, refresh.Status);
        Assert.Equal("Key Vault answered 503 (no error code).", refresh.StatusDescription);
    }

    [Fact]
    public async Task A_blank_secret_in_the_vault_is_a_failed_read_naming_the_secret()
    {
        _vault.Secret = "   ";

        Assert.False(await _app.Get<KeyVaultCredentialsCache>().RefreshAsync());

        var failed = Assert.Single(CacheEvents(), e => e.Id.Id == 1003);
        Assert.Equal("Key Vault secret 'videosdk-api-secret' is empty.", failed.GetStructuredStateValue("Failure"));
    }

    [Fact]
    public async Task A_key_read_still_under_way_when_the_secret_has_answered_ends_at_the_fetch_timeout_and_is_logged_as_one()
    {
        using var app = VaultModeApp(TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), keyInVault: true);
        using var failures = new MetricCollector<long>(app.Get<IMeterFactory>(), TelemetryNames.MeterName, TelemetryNames.KeyVaultRefreshFailures);
        var options = app.Get<IOptions<KeyVaultOptions>>().Value;
        _vault.Hold(options.ApiKeySecretName);

        // On the thread pool: the test thread has to stay free to move the clock whatever the read does with its own.
        var request = Task.Run(() => RequestTokenAsync(app));
        await _clock.NextTimerAsync(due => due == FetchTimeout, CancellationToken.None);
        Assert.Equal(new[] { options.ApiSecretName, options.ApiKeySecretName }.Order(), new[] { await _vault.NextReadAsync(), await _vault.NextReadAsync() }.Order());

        // The secret has answered; the key has not. Not a tick early...
        _clock.Advance(FetchTimeout - Tick);
        Assert.False(request.IsCompleted);
        Assert.Equal(0, _vault.CancelledReads);
        // ...and at the bound the read ends, the key's read with it.
        _clock.Advance(Tick);

        var refused = await request;
        refused.AssertProblem(HttpStatusCode.ServiceUnavailable, "signing_credentials_unavailable");
        Assert.Equal("1", refused.Header("Retry-After"));
        Assert.Equal(1, _vault.CancelledReads);
        var failed = Assert.Single(CacheEvents(app), e => e.Id.Id == 1003);
        Assert.Equal("Reading the VideoSDK credentials from Key Vault took longer than 00:00:45 (KeyVault:FetchTimeout).",
            failed.GetStructuredStateValue("Failure"));
        Assert.Equal("timeout", Assert.Single(failures.GetMeasurementSnapshot()).Tags[TelemetryNames.Attributes.ErrorType]);
    }

    private List<FakeLogRecord> CacheEvents() => CacheEvents(_app);

    private static List<FakeLogRecord> CacheEvents(TestApp app) =>
        app.Logs.Where(record => record.Category == typeof(KeyVaultCredentialsCache).FullName).ToList();
}
