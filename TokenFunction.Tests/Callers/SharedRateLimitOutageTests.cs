using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using TokenFunction.Callers;
using TokenFunction.Telemetry;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Callers;

/// <summary>Redis taken away and brought back under a running instance: answers go on, the fallback is counted and logged once, the shared limit returns by itself.</summary>
public sealed class SharedRateLimitOutageTests
{
    private static readonly CallerIdentity Alice = CallerIdentity.Authenticated("alice", [], null);
    private static readonly CallerIdentity Carol = CallerIdentity.Authenticated("carol", [], null);

    [Fact]
    public async Task While_Redis_is_down_the_instance_limits_callers_with_its_own_buckets_logs_once_and_returns_to_the_shared_limit_after_a_restart()
    {
        await using var redis = await RedisFixture.StartAsync();
        using var app = new TestApp(SharedRateLimitTests.SharedSettings(redis, "outage"));
        using var fallbacks = new MetricCollector<long>(app.Get<IMeterFactory>(), TelemetryNames.MeterName, TelemetryNames.RateLimitFallbacks);
        var limiter = (SharedCallerRateLimiter)app.Get<ICallerRateLimiter>();
        Assert.Equal(1, await SharedRateLimitTests.AcceptedAsync([app], Alice, 1));

        await redis.Server.KillAsync();
        var acceptedDuringOutage = await SharedRateLimitTests.AcceptedAsync([app], Alice, 10);

        // Alice's own bucket on this instance was never touched: its whole burst, then refusals; nothing thrown.
        Assert.Equal(3, acceptedDuringOutage);
        Assert.False(limiter.IsShared);
        Assert.Equal(10, fallbacks.GetMeasurementSnapshot().Count);
        Assert.All(fallbacks.GetMeasurementSnapshot(), m => Assert.Contains(m.Tags[TelemetryNames.Attributes.ErrorType],
            new object[] { SharedCallerRateLimiter.FailureClasses.Connection, SharedCallerRateLimiter.FailureClasses.Timeout }));
        Assert.Single(app.Logs, log => log.Id.Id == 3020);

        await redis.Server.RestartAsync();
        // No clock: one request per RetryInterval (1 s here) tries Redis again; the limit only guards a hang.
        var restored = await PollAsync(async () =>
        {
            await limiter.AcquireAsync(Carol, CancellationToken.None);
            return limiter.IsShared;
        }, TimeSpan.FromSeconds(60));

        Assert.True(restored);
        Assert.Single(app.Logs, log => log.Id.Id == 3020);
        Assert.Single(app.Logs, log => log.Id.Id == 3021);
        // Back on the (empty, restarted) server: Alice's shared bucket is full again and lives in Redis.
        Assert.Equal(3, await SharedRateLimitTests.AcceptedAsync([app], Alice, 5));
        Assert.Contains(SharedRateLimitTests.BucketKey(app, Alice), redis.Keys());
    }

    internal static async Task<bool> PollAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
