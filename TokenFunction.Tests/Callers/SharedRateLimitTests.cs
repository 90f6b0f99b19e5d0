using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using StackExchange.Redis;
using TokenFunction.Callers;
using TokenFunction.Problems;
using TokenFunction.Telemetry;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Callers;

/// <summary>
/// The shared limiter against a real redis-server: one bucket per caller for every instance (two app containers
/// here play two instances), RedisRateLimiting's answers, the bucket names, the fallback when Redis fails or is slow.
/// </summary>
public sealed class SharedRateLimitTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    // An hour's window: no bucket refills during a test, so the counts are exact.
    private static readonly Dictionary<string, string?> Limit = new()
    {
        ["RateLimit:Burst"] = "3",
        ["RateLimit:TokensPerPeriod"] = "3",
        ["RateLimit:ReplenishmentPeriod"] = "01:00:00",
    };

    private static readonly CallerIdentity Alice = CallerIdentity.Authenticated("alice", [], null);
    private static readonly CallerIdentity Bob = CallerIdentity.Authenticated("bob", [], null);

    private Dictionary<string, string?> Shared(string prefix, Dictionary<string, string?>? overrides = null) =>
        SharedSettings(redis, prefix, overrides);

    internal static Dictionary<string, string?> SharedSettings(RedisFixture redis, string prefix, Dictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(Limit);
        foreach (var (key, value) in redis.Settings(prefix).Concat(overrides ?? []))
        {
            settings[key] = value;
        }

        return settings;
    }

    internal static async Task<int> AcceptedAsync(IEnumerable<TestApp> instances, CallerIdentity caller, int requests)
    {
        var apps = instances.ToArray();
        foreach (var app in apps)
        {
            await ConnectedAsync(app);
        }

        var limiters = apps.Select(app => app.Get<ICallerRateLimiter>()).ToArray();
        var accepted = 0;
        for (var i = 0; i < requests; i++)
        {
            if (await limiters[i % limiters.Length].AcquireAsync(caller, CancellationToken.None) is null)
            {
                accepted++;
            }
        }

        return accepted;
    }

    [Fact]
    public async Task Two_instances_share_one_bucket_per_caller_and_accept_its_burst_exactly_where_their_own_buckets_accept_it_twice()
    {
        using var first = new TestApp(Shared("two-instances"));
        using var second = new TestApp(Shared("two-instances"));
        using var firstAlone = new TestApp(Limit);
        using var secondAlone = new TestApp(Limit);

        Assert.Equal(3, await AcceptedAsync([first, second], Alice, 10));
        Assert.Equal(3, await AcceptedAsync([first, second], Bob, 10));
        Assert.Equal(6, await AcceptedAsync([firstAlone, secondAlone], Alice, 10));
        Assert.IsType<SharedCallerRateLimiter>(first.Get<ICallerRateLimiter>());
        Assert.IsType<CallerRateLimiter>(firstAlone.Get<ICallerRateLimiter>());
    }

    [Fact]
    public async Task Retry_After_is_the_time_to_the_bucket_s_next_refill_in_Redis_where_the_in_memory_limiter_says_a_whole_period()
    {
        using var app = new TestApp(Shared("retry-after"));
        var bucket = BucketKey(app, Alice);
        // The bucket as another instance left it half an hour ago: empty, last refilled 30 minutes back.
        var lastRefill = DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeMilliseconds();
        await redis.Database.StringSetAsync(bucket, 0, TimeSpan.FromHours(1));
        await redis.Database.StringSetAsync(bucket + ":ts", lastRefill, TimeSpan.FromHours(1));

        await ConnectedAsync(app);
        var refused = await app.Get<ICallerRateLimiter>().AcquireAsync(Alice, CancellationToken.None);
        var inMemory = await RefusalAsync(new TestApp(Limit), Alice);

        Assert.Equal(ErrorCodes.RateLimited, refused!.Error);
        // RedisRateLimiting rounds up to whole seconds: 1800 unless a second passed since lastRefill was taken.
        Assert.InRange(refused.RetryAfter!.Value.TotalSeconds, 1799, 1800);
        Assert.Equal(TimeSpan.FromHours(1), inMemory.RetryAfter);
    }

    [Fact]
    public async Task Buckets_are_named_by_an_HMAC_of_the_caller_under_the_deployment_s_prefix_and_expire_when_idle()
    {
        const string address = "203.0.113.7";
        var anonymous = CallerIdentity.Anonymous(address);
        using var app = new TestApp(Shared("names-a"));
        using var otherDeployment = new TestApp(Shared("names-b"));

        Assert.Equal(3, await AcceptedAsync([app], anonymous, 5));
        Assert.Equal(3, await AcceptedAsync([app], Alice, 5));
        Assert.Equal(3, await AcceptedAsync([otherDeployment], Alice, 5));

        var keys = redis.Keys().Where(k => k.Contains("{names-a:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, keys.Length);
        Assert.Contains(BucketKey(app, anonymous), keys);
        Assert.Contains(BucketKey(app, Alice), keys);
        var plainHashes = new[] { address, "address:" + address, "caller:alice" }
            .SelectMany(v => new[] { Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(v))), Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(v))) })
            .Select(h => h[..16]);
        Assert.All(keys, key =>
        {
            Assert.DoesNotContain(address, key, StringComparison.Ordinal);
            Assert.DoesNotContain("alice", key, StringComparison.Ordinal);
            Assert.All(plainHashes, hash => Assert.DoesNotContain(hash, key, StringComparison.OrdinalIgnoreCase));
        });
        foreach (var key in keys)
        {
            var ttl = await redis.Database.KeyTimeToLiveAsync(key);
            Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        }

        var otherSecret = new SharedBucketNames("names-a", "another-rate-limit-key-secret-of-32-chars");
        Assert.NotEqual(app.Get<SharedBucketNames>().For(Alice), otherSecret.For(Alice));
    }

    [Fact]
    public async Task A_check_slower_than_its_bound_is_decided_by_the_instance_s_own_bucket_and_counted_as_a_timeout()
    {
        // A server of its own: the pause below must not reach the other tests' checks.
        await using var paused = await RedisFixture.StartAsync();
        using var app = new TestApp(SharedSettings(paused, "slow", new() { ["RateLimit:Redis:CheckTimeout"] = "00:00:00.05" }));
        using var fallbacks = new MetricCollector<long>(app.Get<IMeterFactory>(), TelemetryNames.MeterName, TelemetryNames.RateLimitFallbacks);
        var limiter = app.Get<ICallerRateLimiter>();
        await ConnectedAsync(app);
        Assert.Null(await limiter.AcquireAsync(Alice, CancellationToken.None));

        // Every client's commands wait two seconds: far past the 50 ms bound.
        await paused.AdminServer.ExecuteAsync("CLIENT", "PAUSE", "2000", "ALL");
        var decided = await limiter.AcquireAsync(Alice, CancellationToken.None);

        Assert.Null(decided);
        Assert.Equal(SharedCallerRateLimiter.FailureClasses.Timeout, Assert.Single(fallbacks.GetMeasurementSnapshot()).Tags[TelemetryNames.Attributes.ErrorType]);
        Assert.Single(app.Logs, log => log.Id.Id == 3020);
        Assert.False(((SharedCallerRateLimiter)limiter).IsShared);
    }

    [Fact]
    public async Task A_request_that_goes_away_during_its_check_is_answered_by_the_instance_s_own_bucket_not_an_exception_nor_a_fallback()
    {
        using var app = new TestApp(Shared("cancelled"));
        using var fallbacks = new MetricCollector<long>(app.Get<IMeterFactory>(), TelemetryNames.MeterName, TelemetryNames.RateLimitFallbacks);
        var limiter = app.Get<ICallerRateLimiter>();
        await ConnectedAsync(app);

        var decided = await limiter.AcquireAsync(Bob, new CancellationToken(canceled: true));

        Assert.Null(decided);
        Assert.Empty(fallbacks.GetMeasurementSnapshot());
        Assert.True(((SharedCallerRateLimiter)limiter).IsShared);
    }

    private static async Task<ApiProblem> RefusalAsync(TestApp app, CallerIdentity caller)
    {
        using (app)
        {
            var limiter = app.Get<ICallerRateLimiter>();
            ApiProblem? refused;
            while ((refused = await limiter.AcquireAsync(caller, CancellationToken.None)) is null)
            {
            }

            return refused;
        }
    }

    /// <summary>
    /// What the worker's start-up does (the connection is a hosted service): without it the first check would wait
    /// for the connection within its own bound, which a loaded machine can exceed.
    /// </summary>
    internal static async Task ConnectedAsync(TestApp app)
    {
        foreach (var connection in app.Get<IEnumerable<SharedRateLimitConnection>>())
        {
            await connection.Connected;
        }
    }

    /// <summary>Where RedisRateLimiting 1.2.1 keeps a partition's tokens (its timestamp is this plus <c>:ts</c>).</summary>
    internal static string BucketKey(TestApp app, CallerIdentity caller) => $"rl:tb:{{{app.Get<SharedBucketNames>().For(caller)}}}";
}
