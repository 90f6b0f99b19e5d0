using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TokenFunction.Functions;
using TokenFunction.Telemetry;
using TokenFunction.Tests.Rooms;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Telemetry;

/// <summary>OpenTelemetry's listeners are process-wide: these tests run alone, so other tests' tokens do not count here.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryTestGroup
{
    public const string Name = "Telemetry (process-wide listeners)";
}

/// <summary>
/// The app's own telemetry pipeline (<see cref="TelemetryServiceCollectionExtensions.AddServiceTelemetryPipeline"/>)
/// with OpenTelemetry's in-memory exporter in place of OTLP or Azure Monitor, over the app with a VideoSDK stand-in.
/// </summary>
[Collection(TelemetryTestGroup.Name)]
public sealed class TelemetryPipelineTests : IAsyncLifetime
{
    private const string Participant = "pipeline-participant-41c7";
    private const string Room = "pipe-line-room";
    private const string CallerAuthorization = "Bearer caller-credential-e5a0d2";

    private readonly List<Metric> _metrics = [];
    private readonly List<Activity> _spans = [];
    private readonly List<LogRecord> _logs = [];
    private RoomsTestBed _bed = null!;

    public async Task InitializeAsync()
    {
        _bed = await RoomsTestBed.StartAsync(configure: services => services.AddServiceTelemetryPipeline()
            .WithTracing(tracing => tracing.AddInMemoryExporter(_spans))
            .WithMetrics(metrics => metrics.AddInMemoryExporter(_metrics))
            .WithLogging(logging => logging.AddInMemoryExporter(_logs)));
        // Outside a host nothing starts the providers: resolving them does.
        _bed.App.Get<TracerProvider>();
        _bed.App.Get<MeterProvider>();
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task A_token_counts_once_on_the_issued_counter_with_its_bounded_tags_and_one_mint_duration()
    {
        var response = await IssueTokenAsync();
        Assert.Equal(HttpStatusCode.OK, response.Status);

        Flush();
        var issued = Assert.Single(Points(TelemetryNames.TokensIssued));
        Assert.Equal(1, issued.Point.GetSumLong());
        Assert.Equal(new Dictionary<string, object?>
        {
            [TelemetryNames.Attributes.Permissions] = "allow_join",
            [TelemetryNames.Attributes.RoomBound] = true,
            [TelemetryNames.Attributes.GrantedBy] = "Tokens:AllowedPermissions",
            [TelemetryNames.Attributes.CallerMode] = "anonymous",
        }, issued.Tags);
        Assert.Equal(1, Assert.Single(Points(TelemetryNames.MintDuration)).Point.GetHistogramCount());
    }

    [Fact]
    public async Task VideoSDK_calls_are_timed_by_operation_and_outcome_and_their_spans_show_the_path_template_not_the_room()
    {
        _bed.VideoSdk.AddRoom(Room);
        Assert.Equal(HttpStatusCode.OK, (await _bed.ValidateAsync(Room)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _bed.ValidateAsync("no-such-room")).Status);

        Flush();
        var calls = Points(TelemetryNames.VideoSdkRequestDuration).ToList();
        Assert.Contains(calls, c => Equals(c.Tags[TelemetryNames.Attributes.VideoSdkOperation], "validate") && !c.Tags.ContainsKey(TelemetryNames.Attributes.ErrorType));
        Assert.Contains(calls, c => Equals(c.Tags.GetValueOrDefault(TelemetryNames.Attributes.ErrorType), "room_not_found"));

        // Only this test's stand-in: a span of an earlier test's client can still be in flight when this one starts.
        var upstream = _spans.Where(s => s.Kind == ActivityKind.Client && s.Source.Name == "System.Net.Http"
            && Equals(s.GetTagItem("server.port"), _bed.VideoSdk.BaseUrl.Port)).ToList();
        Assert.Equal(2, upstream.Count);
        Assert.All(upstream, span => Assert.Equal($"{_bed.VideoSdk.BaseUrl.GetLeftPart(UriPartial.Authority)}/v2/rooms/validate/{{roomId}}", span.GetTagItem("url.full")));
    }

    [Fact]
    public async Task No_metric_tag_or_span_attribute_holds_an_id_an_address_or_a_credential_and_no_exported_item_holds_a_credential()
    {
        var token = (await IssueTokenAsync()).Json.GetProperty("token").GetString()!;
        _bed.VideoSdk.AddRoom(Room);
        await _bed.ValidateAsync(Room);
        var created = (await _bed.CreateAsync()).Json.GetProperty("roomId").GetString()!;

        Flush();
        var managementTokens = _bed.VideoSdk.Requests.Select(r => r.Authorization).OfType<string>().Distinct().ToList();
        Assert.NotEmpty(managementTokens);
        string[] credentials = [TestApp.ApiSecret, token, token.Split('.')[2], CallerAuthorization, .. managementTokens];
        string[] identities = [Participant, Room, created, "203.0.113.9"];

        var tagValues = _metrics.SelectMany(PointsOf).SelectMany(p => p.Tags.Values).Select(v => $"{v}")
            .Concat(_spans.SelectMany(s => s.TagObjects).Select(t => $"{t.Value}"))
            .Concat(_spans.Select(s => s.DisplayName))
            .ToList();
        Assert.NotEmpty(tagValues);
        Assert.All(credentials.Concat(identities), secret =>
            Assert.DoesNotContain(tagValues, value => value.Contains(secret, StringComparison.Ordinal)));

        // Logs included: the audit line names the participant and the room by design, but no credential.
        var everything = string.Join('\n', tagValues.Concat(_logs.SelectMany(LogText)));
        Assert.Contains(Participant, everything, StringComparison.Ordinal);
        Assert.All(credentials, secret => Assert.DoesNotContain(secret, everything, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refusal_counts_on_the_refused_counter_with_its_status_and_code()
    {
        var response = await SendAsync(FakeHttpRequestData.Create("GET", "/api/token?permissions=allow_everything"));
        response.AssertProblem(HttpStatusCode.BadRequest, "permission_unknown");

        Flush();
        var refused = Assert.Single(Points(TelemetryNames.RequestsRefused));
        Assert.Equal(1, refused.Point.GetSumLong());
        Assert.Equal(new Dictionary<string, object?>
        {
            [TelemetryNames.Attributes.StatusCode] = 400,
            [TelemetryNames.Attributes.ErrorType] = "permission_unknown",
        }, refused.Tags);
    }

    private Task<ReadResponse> IssueTokenAsync() =>
        SendAsync(FakeHttpRequestData.Create("POST", "/api/token",
            System.Text.Encoding.UTF8.GetBytes($$"""{"roomId":"{{Room}}","participantId":"{{Participant}}"}"""),
            [new("Content-Type", "application/json"), new("Authorization", CallerAuthorization), new("X-Forwarded-For", "203.0.113.9")]));

    private async Task<ReadResponse> SendAsync(FakeHttpRequestData request) =>
        ReadResponse.From(await _bed.App.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None)));

    private void Flush()
    {
        _bed.App.Get<MeterProvider>().ForceFlush();
        _bed.App.Get<TracerProvider>().ForceFlush();
        _bed.App.Get<LoggerProvider>().ForceFlush();
    }

    private sealed record TaggedPoint(MetricPoint Point, Dictionary<string, object?> Tags);

    private IEnumerable<TaggedPoint> Points(string instrument) =>
        _metrics.Where(m => m.Name == instrument).SelectMany(PointsOf);

    private static IEnumerable<TaggedPoint> PointsOf(Metric metric)
    {
        var points = new List<TaggedPoint>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var tags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags)
            {
                tags[tag.Key] = tag.Value;
            }

            points.Add(new TaggedPoint(point, tags));
        }

        return points;
    }

    private static IEnumerable<string> LogText(LogRecord record) =>
        new[] { record.FormattedMessage, record.Body, record.Exception?.ToString() }.OfType<string>()
            .Concat(record.Attributes?.Select(a => $"{a.Value}") ?? []);
}
