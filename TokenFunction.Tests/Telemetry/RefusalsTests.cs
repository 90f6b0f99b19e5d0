using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using TokenFunction.Problems;
using TokenFunction.Telemetry;

namespace TokenFunction.Tests.Telemetry;

public sealed class RefusalsTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogger<Refusals> _logger = new();
    private readonly Refusals _log;

    public RefusalsTests() => _log = new Refusals(new ServiceMetrics(_meters), _time, _logger);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private IMeterFactory _meters => _services.GetRequiredService<IMeterFactory>();

    public void Dispose()
    {
        _log.Dispose();
        _services.Dispose();
    }

    private static readonly ApiProblem Unavailable =
        new(ErrorCodes.SigningCredentialsUnavailable, "Tokens cannot be signed right now: Key Vault answered 403. Retry later.");

    [Fact]
    public void Thousands_of_refusals_over_three_minutes_write_a_start_three_summaries_and_a_stop()
    {
        for (var minute = 0; minute < 3; minute++)
        {
            for (var i = 0; i < 4000; i++)
            {
                _log.Record(Unavailable);
            }

            _time.Advance(Refusals.Window);
        }

        _time.Advance(Refusals.Window);

        var lines = _logger.Collector.GetSnapshot();
        Assert.Equal([5001, 5002, 5002, 5002, 5003], lines.Select(l => l.Id.Id));
        Assert.Equal("Requests are being refused with 503 signing_credentials_unavailable: " + Unavailable.Detail, lines[0].Message);
        Assert.Equal(LogLevel.Warning, lines[0].Level);
        Assert.All(lines.Skip(1).Take(3), summary => Assert.StartsWith("4000 requests refused with 503 signing_credentials_unavailable", summary.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_new_kind_of_refusal_is_reported_at_once_and_each_kind_separately()
    {
        _log.Record(Unavailable);
        _log.Record(new ApiProblem(ErrorCodes.RateLimited, "Too many requests from this caller"));
        _log.Record(new ApiProblem(ErrorCodes.RateLimited, "Too many requests from this caller"));

        Assert.Equal(["signing_credentials_unavailable", "rate_limited"],
            _logger.Collector.GetSnapshot().Select(l => l.GetStructuredStateValue("ErrorCode")));

        _time.Advance(Refusals.Window);
        var summaries = _logger.Collector.GetSnapshot().Skip(2).ToList();
        Assert.Equal(2, summaries.Count);
        Assert.Contains(summaries, s => s.Message.StartsWith("2 requests refused with 429 rate_limited", StringComparison.Ordinal) && s.Level == LogLevel.Information);
    }

    [Fact]
    public void A_client_refusal_is_logged_without_its_detail_which_describes_what_the_client_sent()
    {
        _log.Record(ApiProblem.ForField(ErrorCodes.ParticipantIdInvalid, "participantId", "participantId 'alice@example.com<script>' is not allowed"));

        var line = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal("Requests are being refused with 400 participant_id_invalid", line.Message);
        Assert.Equal(LogLevel.Information, line.Level);
    }

    [Fact]
    public void A_kind_that_stops_and_starts_again_is_reported_again()
    {
        _log.Record(Unavailable);
        _time.Advance(Refusals.Window); // summary
        _time.Advance(Refusals.Window); // stopped
        _log.Record(Unavailable);

        Assert.Equal([5001, 5002, 5003, 5001], _logger.Collector.GetSnapshot().Select(l => l.Id.Id));
    }
}
