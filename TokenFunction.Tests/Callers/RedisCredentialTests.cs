using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using TokenFunction.Callers;
using TokenFunction.Telemetry;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Callers;

/// <summary>
/// A credential that expires, renewed before it does and sent with AUTH on every connection, proven on a real
/// redis-server with an ACL user: after a password rotation only a reconnect shows which password the app sends
/// (a live connection stays authenticated), so the tests kill the app's connections.
/// </summary>
public sealed class RedisCredentialTests
{
    private static readonly CallerIdentity Alice = CallerIdentity.Authenticated("alice", [], null);
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    /// <summary>Redis's default user is closed, as on a managed cache: a connection whose AUTH fails can run nothing.</summary>
    private const string AdminPassword = "test-admin-password-31d7";

    [Fact]
    public async Task After_a_rotation_the_renewed_password_is_sent_on_reconnect_and_the_shared_counter_moves_with_no_fallback()
    {
        await using var redis = await RedisFixture.StartAsync(AdminPassword);
        var (app, source, time, fallbacks) = await StartAsync(redis, "rotating-app", renews: true);
        using (app)
        using (fallbacks)
        {
            var bucket = SharedRateLimitTests.BucketKey(app, Alice);
            Assert.Equal(2, (int)await redis.Database.StringGetAsync(bucket));

            await redis.AdminServer.ExecuteAsync("ACL", "SETUSER", "rotating-app", "resetpass", ">second-password");
            source.Password = "second-password";
            var authsBefore = await AuthCallsAsync(redis);
            // Three quarters of the hour-long credential's life: the renewal is due, and sends AUTH on the live connection.
            time.Advance(TimeSpan.FromMinutes(46));
            Assert.True(await SharedRateLimitOutageTests.PollAsync(async () => source.Calls == 2 && await AuthCallsAsync(redis) > authsBefore, Guard));

            var killed = (long)await redis.AdminServer.ExecuteAsync("CLIENT", "KILL", "USER", "rotating-app");
            Assert.True(killed >= 1);
            // Authenticated as rotating-app again: only the second password opens that user now.
            Assert.True(await SharedRateLimitOutageTests.PollAsync(() => Task.FromResult(ConnectedAs(redis, "rotating-app")), Guard));

            Assert.Equal(2, await SharedRateLimitTests.AcceptedAsync([app], Alice, 2));
            Assert.Equal(0, (int)await redis.Database.StringGetAsync(bucket));
            Assert.Empty(fallbacks.GetMeasurementSnapshot());
            Assert.DoesNotContain(app.Logs, log => log.Id.Id == 3020);
            Assert.Empty(AuthFailures(redis, "rotating-app"));
            Assert.DoesNotContain("second-password", app.AllLogText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_the_renewal_the_reconnect_is_refused_and_the_instance_falls_back()
    {
        await using var redis = await RedisFixture.StartAsync(AdminPassword);
        var (app, source, _, fallbacks) = await StartAsync(redis, "stale-app", renews: false);
        using (app)
        using (fallbacks)
        {
            var bucket = SharedRateLimitTests.BucketKey(app, Alice);
            await redis.AdminServer.ExecuteAsync("ACL", "SETUSER", "stale-app", "resetpass", ">second-password");
            await redis.AdminServer.ExecuteAsync("CLIENT", "KILL", "USER", "stale-app");
            Assert.True(await SharedRateLimitOutageTests.PollAsync(() => Task.FromResult(AuthFailures(redis, "stale-app").Count > 0), Guard));

            Assert.Null(await app.Get<ICallerRateLimiter>().AcquireAsync(Alice, CancellationToken.None));
            Assert.Equal(2, (int)await redis.Database.StringGetAsync(bucket));
            Assert.Single(fallbacks.GetMeasurementSnapshot());
            Assert.Equal(1, source.Calls);
        }
    }

    [Fact]
    public async Task An_Entra_token_for_Redis_is_the_password_and_its_object_id_the_user()
    {
        await using var redis = await RedisFixture.StartAsync(AdminPassword);
        const string objectId = "5f1c2a9e-0d7b-4c3e-9a61-2b8f4e7d1c05";
        var entra = new StandInEntra(objectId);
        var token = entra.Token;
        await redis.AdminServer.ExecuteAsync("ACL", "SETUSER", objectId, "on", ">" + token, "~*", "&*", "+@all");
        using var app = new TestApp(SharedRateLimitTests.SharedSettings(redis, "entra", new() { ["RateLimit:Redis:Authentication"] = "EntraId" }),
            services => services.Replace(ServiceDescriptor.Singleton<IRedisCredentialSource>(new EntraRedisCredentialSource(entra))));
        using var fallbacks = new MetricCollector<long>(app.Get<IMeterFactory>(), TelemetryNames.MeterName, TelemetryNames.RateLimitFallbacks);

        Assert.Equal(1, await SharedRateLimitTests.AcceptedAsync([app], Alice, 1));

        Assert.Equal(2, (int)await redis.Database.StringGetAsync(SharedRateLimitTests.BucketKey(app, Alice)));
        Assert.True(ConnectedAs(redis, objectId));
        Assert.Empty(fallbacks.GetMeasurementSnapshot());
        Assert.Equal([EntraRedisCredentialSource.Scope], entra.Scopes.Distinct());
        Assert.DoesNotContain(token, app.AllLogText, StringComparison.Ordinal);
    }

    private static async Task<(TestApp App, RotatingPassword Source, FakeTimeProvider Time, MetricCollector<long> Fallbacks)> StartAsync(
        RedisFixture redis, string user, bool renews)
    {
        await redis.AdminServer.ExecuteAsync("ACL", "SETUSER", user, "on", ">first-password", "~*", "&*", "+@all");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var source = new RotatingPassword(user, "first-password", time, renews);
        var app = new TestApp(SharedRateLimitTests.SharedSettings(redis, user, new() { ["RateLimit:Redis:Authentication"] = "EntraId" }), services =>
        {
            services.Replace(ServiceDescriptor.Singleton<IRedisCredentialSource>(source));
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
        });
        var fallbacks = new MetricCollector<long>(app.Get<IMeterFactory>(), TelemetryNames.MeterName, TelemetryNames.RateLimitFallbacks);
        Assert.Equal(1, await SharedRateLimitTests.AcceptedAsync([app], Alice, 1));
        Assert.True(ConnectedAs(redis, user));
        return (app, source, time, fallbacks);
    }

    private static bool ConnectedAs(RedisFixture redis, string user) =>
        redis.AdminServer.Execute("CLIENT", "LIST").ToString().Split('\n').Any(line => line.Contains($" user={user} ", StringComparison.Ordinal));

    private static async Task<long> AuthCallsAsync(RedisFixture redis)
    {
        var stats = (await redis.AdminServer.InfoAsync("commandstats")).SelectMany(g => g).FirstOrDefault(kv => kv.Key == "cmdstat_auth").Value;
        return stats is null ? 0 : long.Parse(stats.Split(',')[0]["calls=".Length..]);
    }

    /// <summary>Redis's ACL log entries of failed AUTH for <paramref name="user"/>.</summary>
    private static IReadOnlyList<string> AuthFailures(RedisFixture redis, string user) =>
        [.. ((RedisResult[])redis.AdminServer.Execute("ACL", "LOG")!)
            .Select(entry => ((RedisResult[])entry!).Select(field => field.ToString()).ToArray())
            .Where(fields => fields.Contains("auth") && fields.Contains(user))
            .Select(fields => string.Join(' ', fields))];

    /// <summary>A credential of an hour that the test rotates; with <c>renews: false</c> it keeps its first password, as a broken renewal would.</summary>
    private sealed class RotatingPassword(string user, string firstPassword, TimeProvider time, bool renews) : IRedisCredentialSource
    {
        private int _calls;

        public string? Password { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public string Description => "the test's rotating password";

        public Task<RedisCredential> GetAsync(CancellationToken cancellationToken)
        {
            var first = Interlocked.Increment(ref _calls) == 1;
            return Task.FromResult(new RedisCredential(user, first || !renews ? firstPassword : Password ?? firstPassword, time.GetUtcNow().AddHours(1)));
        }
    }

    /// <summary>Stands in for Microsoft Entra: an access token shaped like one, with the identity's object id in <c>oid</c>.</summary>
    private sealed class StandInEntra(string objectId) : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public string Token { get; } = string.Join('.',
            Encode(new { typ = "JWT", alg = "RS256" }),
            Encode(new { aud = "https://redis.azure.com", oid = objectId, exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() }),
            "c2lnbmF0dXJl");

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken(Token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));

        private static string Encode(object value) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
