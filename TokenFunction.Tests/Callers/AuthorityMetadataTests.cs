using System.Net;
using Microsoft.AspNetCore.Http;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TokenFunction.Callers;
using TokenFunction.Functions;
using TokenFunction.Problems;
using TokenFunction.Telemetry;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Callers;

/// <summary>
/// How often the app reads the authority's metadata, and what callers get while it cannot: what a real
/// provider cannot be made to do on demand (an outage, a count of its fetches), so against the stand-in.
/// Tokens, keys and claims are tested against the real provider (RealProviderTokenTests and others).
/// </summary>
public sealed class AuthorityMetadataTests : StandInProviderTests
{
    [Fact]
    public async Task Tokens_signed_with_keys_the_provider_never_published_do_not_make_it_refetch_each_time()
    {
        Assert.Equal(HttpStatusCode.OK, (await CallerApp.PostAsync(Provider.IssueToken())).Status);
        var fetchesBefore = Provider.KeySetFetches;

        var unpublished = OpenIdProviderStandIn.NewRsaKey();
        for (var i = 0; i < 10; i++)
        {
            (await CallerApp.PostAsync(Provider.IssueToken(key: unpublished)))
                .AssertProblem(HttpStatusCode.Unauthorized, "caller_token_invalid");
        }

        // The manager honours one refresh request per refresh interval (5 minutes by default).
        Assert.InRange(Provider.KeySetFetches - fetchesBefore, 0, 1);
    }

    [Fact]
    public async Task Each_fetch_of_the_provider_s_documents_is_counted_and_a_failed_one_by_its_cause()
    {
        using var fetches = new MetricCollector<long>(CallerApp.App.Get<IMeterFactory>(), TelemetryNames.MeterName, TelemetryNames.OpenIdMetadataFetches);
        Assert.Equal(HttpStatusCode.OK, (await CallerApp.PostAsync(Provider.IssueToken())).Status);

        // The discovery document and the key set.
        Assert.Equal([(1L, false), (1L, false)],
            fetches.GetMeasurementSnapshot().Select(m => (m.Value, m.Tags.ContainsKey(TelemetryNames.Attributes.ErrorType))));

        var closed = await OpenIdProviderStandIn.StartAsync();
        using var app = new CallerTestApp(closed);
        using var failed = new MetricCollector<long>(app.App.Get<IMeterFactory>(), TelemetryNames.MeterName, TelemetryNames.OpenIdMetadataFetches);
        await closed.DisposeAsync();

        (await app.PostAsync(closed.IssueToken())).AssertProblem(HttpStatusCode.ServiceUnavailable, "caller_authority_unavailable");

        // The cause (nobody listening), not the library's wrapper around it.
        var failure = Assert.Single(failed.GetMeasurementSnapshot());
        Assert.Equal(nameof(HttpRequestException), failure.Tags[TelemetryNames.Attributes.ErrorType]);
        // The log names the document retriever's failure, the one the metadata manager wraps.
        Assert.Equal(nameof(IOException), Assert.Single(app.App.Logs, log => log.Id.Id == 3002).GetStructuredStateValue("Failure"));
    }

    [Fact]
    public async Task Keys_the_discovery_document_places_at_a_plain_http_address_are_not_fetched_and_callers_get_a_503()
    {
        var keySetFetches = 0;
        await using var plainHttp = await LoopbackServer.StartAsync(tlsCertificate: null, context =>
        {
            Interlocked.Increment(ref keySetFetches);
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(Provider.KeySetJson());
        });
        Provider.KeySetAddress = new Uri(plainHttp.BaseAddress, "keys");

        (await CallerApp.PostAsync(Provider.IssueToken())).AssertProblem(HttpStatusCode.ServiceUnavailable, "caller_authority_unavailable");

        // Keys over plain http could be swapped by anyone on the path: not even asked for.
        Assert.Equal(0, Volatile.Read(ref keySetFetches));
        CallerApp.AssertNoTokenIssued();
    }

    [Fact]
    public async Task Provider_unreachable_at_start_answers_503_fetches_at_most_once_per_window_then_recovers()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var app = new CallerTestApp(Provider, configure: services => services.AddSingleton<TimeProvider>(time));
        Provider.Available = false;

        var down = await app.PostAsync(Provider.IssueToken());
        var fetchesWhileDown = Provider.DiscoveryFetches;
        Provider.Available = true;
        var stillWithinWindow = await app.PostAsync(Provider.IssueToken());

        down.AssertProblem(HttpStatusCode.ServiceUnavailable, "caller_authority_unavailable");
        Assert.Equal("10", down.Header("Retry-After"));
        stillWithinWindow.AssertProblem(HttpStatusCode.ServiceUnavailable, "caller_authority_unavailable");
        // One attempt (Microsoft.IdentityModel's retriever itself retries a 503 once), none within the window.
        Assert.InRange(fetchesWhileDown, 1, 2);
        Assert.Equal(fetchesWhileDown, Provider.DiscoveryFetches);
        app.AssertNoTokenIssued();
        // An operator is told which document failed, why (the cause, not the library's wrapper), and when it is tried again.
        var unavailable = Assert.Single(app.App.Logs, log => log.Id.Id == 3002);
        Assert.Equal(LogLevel.Warning, unavailable.Level);
        Assert.Equal(Provider.Authority.TrimEnd('/') + "/.well-known/openid-configuration", unavailable.GetStructuredStateValue("MetadataAddress"));
        Assert.NotEqual(nameof(InvalidOperationException), unavailable.GetStructuredStateValue("Failure"));
        Assert.Equal("00:00:10", unavailable.GetStructuredStateValue("RetryIn"));
        Assert.Contains(HealthReasons.CallerAuthorityUnavailable, ReadResponse.From(await app.App.CallHealthAsync()).Body, StringComparison.Ordinal);

        time.Advance(BearerCallerAuthenticator.AuthorityRetryAfter);
        var recovered = await app.PostAsync(Provider.IssueToken("carol"));

        Assert.Equal(HttpStatusCode.OK, recovered.Status);
        IndependentTokenVerifier.Verify(recovered.Json.GetProperty("token").GetString()!, TestApp.ApiSecret);
        Assert.Equal(fetchesWhileDown + 1, Provider.DiscoveryFetches);
        time.Advance(HealthProbe.CacheFor);
        Assert.Equal("""{"status":"healthy"}""", ReadResponse.From(await app.App.CallHealthAsync()).Body);
    }
}
