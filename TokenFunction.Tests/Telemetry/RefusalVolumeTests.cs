using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TokenFunction.Functions;
using TokenFunction.Secrets;
using TokenFunction.Telemetry;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Telemetry;

/// <summary>
/// The log volume of a failure under load, through the token function: thousands of refused requests (credentials
/// unavailable, then rate limited) must write a handful of lines at the levels production keeps, not one each.
/// </summary>
public sealed class RefusalVolumeTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly TestApp _app;

    public RefusalVolumeTests() =>
        _app = new TestApp(
            new Dictionary<string, string?> { ["RateLimit:Burst"] = "2000", ["RateLimit:TokensPerPeriod"] = "1" },
            services => services
                .AddSingleton<TimeProvider>(_time)
                .AddSingleton<ISigningCredentialsProvider, UnavailableCredentials>());

    public void Dispose() => _app.Dispose();

    private sealed class UnavailableCredentials : ISigningCredentialsProvider
    {
        public ValueTask<CredentialsLookup> GetAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult(CredentialsLookup.Unavailable("Key Vault answered 403 (Forbidden).", TimeSpan.FromSeconds(5)));

        public CredentialsHealth GetHealth() => new(false, "keyVault", null);
    }

    [Fact]
    public async Task Five_thousand_refused_token_requests_over_three_minutes_write_a_bounded_number_of_lines()
    {
        var statuses = new Dictionary<HttpStatusCode, int>();
        for (var minute = 0; minute < 3; minute++)
        {
            for (var i = 0; i < 1700; i++)
            {
                var request = FakeHttpRequestData.Create("GET");
                var response = await _app.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None));
                statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            }

            _time.Advance(Refusals.Window);
        }

        _time.Advance(Refusals.Window);

        // The first 2,000 spend the burst and are refused for the credentials; the rest are rate limited.
        Assert.Equal(2000, statuses[HttpStatusCode.ServiceUnavailable]);
        Assert.Equal(3100, statuses[HttpStatusCode.TooManyRequests]);
        var kept = _app.Logs.Where(l => l.Level >= LogLevel.Information).ToList();
        var refusalLines = kept.Where(l => l.Category == typeof(Refusals).FullName).ToList();
        // Per kind: a start, a summary for each minute it went on, a stop.
        Assert.InRange(refusalLines.Count, 4, 10);
        Assert.True(kept.Count < 20, string.Join('\n', kept.Select(l => $"{l.Level} {l.Category}: {l.Message}")));
    }
}
