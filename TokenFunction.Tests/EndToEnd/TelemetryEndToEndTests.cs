using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TokenFunction.Tests.TestInfrastructure;
using TokenFunction.Telemetry;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>The built worker, exporting over OTLP to a real receiver (the Aspire dashboard) on loopback.</summary>
public sealed class TelemetryWorker : FunctionsHostFixture
{
    public const string ServiceName = "token-function-e2e";

    private readonly FunctionsHostOptions _options = LocalModeWorker.SampleSettings();

    public OtlpReceiver Receiver { get; private set; } = null!;

    public string ApiSecret => _options.AppSettings["VideoSdk__ApiSecret"];

    protected override async Task<FunctionsHostOptions> CreateOptionsAsync()
    {
        Receiver = await OtlpReceiver.StartAsync(AspireDashboard.Path);
        return _options
            .WithSetting(TelemetryServiceCollectionExtensions.OtlpEndpointSetting, Receiver.OtlpGrpcEndpoint.ToString())
            .WithSetting("OTEL_SERVICE_NAME", ServiceName)
            // Export within a second instead of the defaults (5 s for spans and logs, 60 s for metrics).
            .WithSetting("OTEL_BSP_SCHEDULE_DELAY", "200")
            .WithSetting("OTEL_BLRP_SCHEDULE_DELAY", "200")
            .WithSetting("OTEL_METRIC_EXPORT_INTERVAL", "500");
    }

    protected override async Task DisposeDependenciesAsync()
    {
        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
        }
    }
}

public sealed class TelemetryEndToEndTests(TelemetryWorker worker) : IClassFixture<TelemetryWorker>
{
    private static readonly TimeSpan ExportWait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_token_request_reaches_the_receiver_as_an_invocation_span_an_audit_log_and_metrics_with_no_ids_or_credentials_in_spans()
    {
        const string participant = "otel-participant-5b2c";
        const string room = "otel-room-7d1e";
        using var response = await worker.Client.PostAsJsonAsync("api/token",
            new { permissions = new[] { "allow_join" }, roomId = room, participantId = participant });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        var spans = await OtlpReceiver.PollAsync(worker.Receiver.SpansAsync, s => InvocationSpans(s).Any(), ExportWait);
        var invocation = Assert.Single(InvocationSpans(spans));
        Assert.Equal(TelemetryNames.FunctionsWorkerActivitySource, invocation.Scope);

        var logs = await OtlpReceiver.PollAsync(worker.Receiver.LogsAsync, l => AuditRecords(l).Any(), ExportWait);
        var audit = Assert.Single(AuditRecords(logs));
        // The audit line keeps its fields, the one place that names the participant and the room.
        Assert.Equal(participant, Attributes(audit)["ParticipantId"]);
        Assert.Equal(room, Attributes(audit)["RoomId"]);
        // Logs carry the trace context: the audit line belongs to the invocation's trace.
        Assert.Equal(invocation.Span.GetProperty("traceId").GetString(), audit.GetProperty("traceId").GetString());
        // Exported once: not also sent to the host over gRPC, which leaves the worker's lines out of its own export
        // when the worker exports; the host still gets the worker's warnings (none here) for its console.
        Assert.DoesNotContain(worker.Host.Log.Snapshot(), e => e.Source == WorkerLogSource.Rpc && e.Message.Contains(participant, StringComparison.Ordinal));

        var resources = await OtlpReceiver.PollAsync(worker.Receiver.ResourcesAsync,
            r => r.EnumerateArray().Any(x => x.GetProperty("name").GetString() == TelemetryWorker.ServiceName && x.GetProperty("hasMetrics").GetBoolean()),
            ExportWait);
        Assert.Contains(resources.EnumerateArray(), r => r.GetProperty("name").GetString() == TelemetryWorker.ServiceName && r.GetProperty("hasMetrics").GetBoolean());

        // The worker's own gRPC stream to the host is no dependency anyone wants to see.
        Assert.DoesNotContain("AzureFunctionsRpcMessages", spans.GetRawText(), StringComparison.Ordinal);

        // Spans name no participant or room (the audit line is the one place that does, by design); nothing
        // the receiver holds contains the secret or the token.
        var spanText = spans.GetRawText();
        Assert.DoesNotContain(participant, spanText, StringComparison.Ordinal);
        Assert.DoesNotContain(room, spanText, StringComparison.Ordinal);
        foreach (var everything in new[] { spanText, logs.GetRawText() })
        {
            Assert.DoesNotContain(worker.ApiSecret, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(token, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(token.Split('.')[2], everything, StringComparison.Ordinal);
        }
    }

    private sealed record ScopedSpan(string Scope, JsonElement Span);

    private static IEnumerable<ScopedSpan> InvocationSpans(JsonElement data) =>
        from resource in data.GetProperty("resourceSpans").EnumerateArray()
        from scope in resource.GetProperty("scopeSpans").EnumerateArray()
        from span in scope.GetProperty("spans").EnumerateArray()
        where Attributes(span).TryGetValue("faas.name", out var name) && name == "Token"
        select new ScopedSpan(scope.GetProperty("scope").GetProperty("name").GetString()!, span);

    private static IEnumerable<JsonElement> AuditRecords(JsonElement data) =>
        from resource in data.GetProperty("resourceLogs").EnumerateArray()
        from scope in resource.GetProperty("scopeLogs").EnumerateArray()
        from record in scope.GetProperty("logRecords").EnumerateArray()
        // The exporter names a log record's EventId by its name: the audit line's method (EventId 2001).
        where record.TryGetProperty("eventName", out var name) && name.GetString() == "LogIssued"
        select record;

    private static Dictionary<string, string> Attributes(JsonElement item) =>
        item.TryGetProperty("attributes", out var attributes)
            ? attributes.EnumerateArray().ToDictionary(a => a.GetProperty("key").GetString()!, a => a.GetProperty("value").TryGetProperty("stringValue", out var text) ? text.GetString()! : a.GetProperty("value").ToString())
            : [];
}
