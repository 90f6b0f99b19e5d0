using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using StackExchange.Redis;
using TokenFunction.Callers;
using TokenFunction.StandIns.FunctionsHost;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>
/// Three real workers, each behind its own host stand-in as three instances of the app would be, sharing one real
/// redis-server: a caller's budget is one bucket however the requests spread; without Redis each worker has its own.
/// Anonymous callers told apart by the address the front end appends to X-Forwarded-For.
/// </summary>
public sealed class SharedRateLimitEndToEndTests
{
    private const int Burst = 5;
    private const int Workers = 3;

    /// <summary>An hour's window: no bucket refills during a test, so the counts are exact.</summary>
    private static FunctionsHostOptions Settings(RedisFixture? redis, string keyPrefix)
    {
        var options = LocalModeWorker.SampleSettings()
            .WithSetting("RateLimit__Burst", Burst.ToString(CultureInfo.InvariantCulture))
            .WithSetting("RateLimit__TokensPerPeriod", Burst.ToString(CultureInfo.InvariantCulture))
            .WithSetting("RateLimit__ReplenishmentPeriod", "01:00:00");
        if (redis is not null)
        {
            foreach (var (name, value) in redis.Settings(keyPrefix))
            {
                options.WithSetting(name.Replace(":", "__", StringComparison.Ordinal), value!);
            }
        }

        return options;
    }

    [Fact]
    public async Task Three_workers_sharing_one_Redis_accept_a_caller_s_burst_exactly_and_three_times_it_without_Redis()
    {
        await using var redis = await RedisFixture.StartAsync();
        await using var shared = await WorkerSet.StartAsync(Settings(redis, "e2e-shared"));
        await using var apart = await WorkerSet.StartAsync(Settings(null, "unused"));

        var sharedAnswers = await shared.SendRoundRobinAsync("203.0.113.10", 30);
        var otherCaller = await shared.SendRoundRobinAsync("203.0.113.11", 30);
        var apartAnswers = await apart.SendRoundRobinAsync("203.0.113.10", 30);

        Assert.Equal(Burst, sharedAnswers.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(30 - Burst, sharedAnswers.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(Burst, otherCaller.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(Workers * Burst, apartAnswers.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(30 - Workers * Burst, apartAnswers.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.All(shared.Hosts, host => Assert.DoesNotContain(host.Log.Snapshot(), e => e.Message.StartsWith(FellBack, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Retry_After_is_the_time_to_the_shared_bucket_s_refill_where_a_worker_alone_would_say_a_whole_period()
    {
        await using var redis = await RedisFixture.StartAsync();
        await using var shared = await WorkerSet.StartAsync(Settings(redis, "e2e-retry"));
        await using var apart = await WorkerSet.StartAsync(Settings(null, "unused"), workers: 1);
        // The bucket as another instance left it half an hour ago: empty, last refilled 30 minutes back.
        var names = new SharedBucketNames("e2e-retry", RedisFixture.KeySecret);
        var bucket = $"rl:tb:{{{names.For(CallerIdentity.Anonymous("203.0.113.20"))}}}";
        await redis.Database.StringSetAsync(bucket, 0, TimeSpan.FromHours(1));
        await redis.Database.StringSetAsync(bucket + ":ts", DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeMilliseconds(), TimeSpan.FromHours(1));

        using var refused = await shared.SendAsync(0, "203.0.113.20");
        var alone = await apart.SendRoundRobinAsync("203.0.113.20", Burst);
        using var refusedAlone = await apart.SendAsync(0, "203.0.113.20");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(RetryAfterSeconds(refused), 1799, 1800);
        Assert.All(alone, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedAlone.StatusCode);
        Assert.Equal(3600, RetryAfterSeconds(refusedAlone));
    }

    [Fact]
    public async Task Redis_killed_under_load_leaves_only_200_and_429_the_fallback_reported_and_the_shared_limit_back_after_a_restart()
    {
        await using var redis = await RedisFixture.StartAsync();
        await using var shared = await WorkerSet.StartAsync(Settings(redis, "e2e-outage"));
        var callers = Enumerable.Range(30, 8).Select(i => $"203.0.113.{i}").ToArray();

        // Eight callers in parallel, each its own sequence of requests spread over the three workers; Redis dies
        // while they run (after the first 24 answers) and comes back only after the load.
        var answered = 0;
        var rounds = callers.Select(async (caller, index) =>
        {
            List<HttpStatusCode> statuses = [];
            for (var i = 0; i < 24; i++)
            {
                using var response = await shared.SendAsync((index + i) % Workers, caller);
                statuses.Add(response.StatusCode);
                Interlocked.Increment(ref answered);
            }

            return statuses;
        }).ToArray();
        Assert.True(await Callers.SharedRateLimitOutageTests.PollAsync(() => Task.FromResult(Volatile.Read(ref answered) >= 24), TimeSpan.FromSeconds(60)));
        await redis.Server.KillAsync();
        var answers = (await Task.WhenAll(rounds)).SelectMany(s => s).ToList();
        Assert.Equal(callers.Length * 24, answers.Count);

        Assert.All(answers, status => Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.Contains(shared.Hosts, host => host.Log.Snapshot().Any(e => e.Message.StartsWith(FellBack, StringComparison.Ordinal)));

        await redis.Server.RestartAsync();
        // Each worker tries Redis again on its next request after RetryInterval (1 s here); the limit only guards a hang.
        for (var worker = 0; worker < Workers; worker++)
        {
            var host = shared.Hosts[worker];
            var index = worker;
            var recovered = await Callers.SharedRateLimitOutageTests.PollAsync(async () =>
            {
                using var probe = await shared.SendAsync(index, "198.51.100.1");
                return !host.Log.Snapshot().Any(e => e.Message.StartsWith(FellBack, StringComparison.Ordinal))
                    || host.Log.Snapshot().Any(e => e.Message.StartsWith(Restored, StringComparison.Ordinal));
            }, TimeSpan.FromSeconds(60));
            Assert.True(recovered, $"worker {worker} did not return to the shared limit:{Environment.NewLine}{host.Log.Tail()}");
        }

        var afterRestart = await shared.SendRoundRobinAsync("203.0.113.99", 30);
        Assert.Equal(Burst, afterRestart.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(30 - Burst, afterRestart.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    /// <summary>The start of the worker's log lines when it falls back (3020) and returns (3021).</summary>
    private const string FellBack = "The shared rate limit (Redis";
    private const string Restored = "The shared rate limit answers again";

    private static int RetryAfterSeconds(HttpResponseMessage response) =>
        int.Parse(response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);

    /// <summary>Workers started with the same settings, as instances of one app.</summary>
    private sealed class WorkerSet : IAsyncDisposable
    {
        private readonly List<HttpClient> _clients = [];

        public List<FunctionsHost> Hosts { get; } = [];

        public static async Task<WorkerSet> StartAsync(FunctionsHostOptions options, int workers = Workers)
        {
            var set = new WorkerSet();
            try
            {
                foreach (var host in await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => FunctionsHost.StartAsync(options))))
                {
                    set.Hosts.Add(host);
                    set._clients.Add(host.CreateClient());
                }
            }
            catch
            {
                await set.DisposeAsync();
                throw;
            }

            return set;
        }

        /// <summary>A token request from <paramref name="clientAddress"/>, as the platform's front end forwards it to worker <paramref name="worker"/>.</summary>
        public Task<HttpResponseMessage> SendAsync(int worker, string clientAddress)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "api/token") { Content = JsonContent.Create(new { }) };
            request.Headers.Add("X-Forwarded-For", $"{clientAddress}:50000");
            return _clients[worker].SendAsync(request);
        }

        /// <summary><paramref name="requests"/> requests from one caller, one after the other, to the workers in turn.</summary>
        public async Task<IReadOnlyList<HttpStatusCode>> SendRoundRobinAsync(string clientAddress, int requests)
        {
            List<HttpStatusCode> statuses = [];
            for (var i = 0; i < requests; i++)
            {
                using var response = await SendAsync(i % Hosts.Count, clientAddress);
                statuses.Add(response.StatusCode);
            }

            return statuses;
        }

        public async ValueTask DisposeAsync()
        {
            _clients.ForEach(c => c.Dispose());
            foreach (var host in Hosts)
            {
                await host.DisposeAsync();
            }
        }
    }
}
