using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;
using TokenFunction.Telemetry;

namespace TokenFunction.Tests.Secrets;

/// <summary>
/// What an operator sees of the vault: the Azure SDK's own spans under the refresh's span (through OpenTelemetry's
/// in-memory exporter), and the failure counter and age gauge (on the app's meter).
/// </summary>
[Collection(SharedManagedIdentity.Name)]
public sealed class KeyVaultTelemetryTests(ManagedIdentityFixture identity)
{
    [Fact]
    public async Task A_vault_read_gives_dependency_spans_under_the_refresh_span_with_no_secret_or_bearer_token_in_them()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(TelemetryNames.ActivitySourceName, TelemetryNames.AzureSdkActivitySources)
            .AddInMemoryExporter(spans)
            .Build();
        await using var pipeline = await SecretPipeline.StartAsync(identity);
        pipeline.SeedCredentials();

        var served = await pipeline.ServedCredentialsAsync();
        tracing.ForceFlush();

        Assert.NotNull(served);
        var refresh = Assert.Single(spans, s => s.DisplayName == ServiceActivities.RefreshSigningCredentials
            && spans.Any(child => child.TraceId == s.TraceId && child.Source.Name.StartsWith("Azure.", StringComparison.Ordinal)));
        var vaultSpans = spans.Where(s => s.TraceId == refresh.TraceId && s != refresh).ToList();
        Assert.Contains(vaultSpans, s => s.DisplayName == "SecretClient.GetSecret");
        // The HTTP calls to the vault, as dependencies: one per secret (after the challenge round trip).
        Assert.Contains(vaultSpans, s => s.Kind == ActivityKind.Client
            && $"{s.GetTagItem("url.full")}".StartsWith(pipeline.Vault.VaultUri.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal));

        var recorded = string.Join('\n', vaultSpans.Append(refresh).SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(s.DisplayName)));
        Assert.DoesNotContain(System.Text.Encoding.UTF8.GetString(served.SecretBytes), recorded, StringComparison.Ordinal);
        Assert.DoesNotContain(served.ApiKey, recorded, StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer", recorded, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_failed_read_counts_by_failure_class_and_the_age_gauge_reports_since_the_last_good_load()
    {
        await using var pipeline = await SecretPipeline.StartAsync(identity);
        // This pipeline's meter alone: a process-wide listener (OpenTelemetry's) would also see, and for the gauge
        // sometimes report instead, the meters of the other tests' apps running alongside.
        using var failures = new MetricCollector<long>(pipeline.Meters, TelemetryNames.MeterName, TelemetryNames.KeyVaultRefreshFailures);
        using var age = new MetricCollector<double>(pipeline.Meters, TelemetryNames.MeterName, TelemetryNames.SigningCredentialsAge);
        pipeline.SeedCredentials();
        Assert.True(await pipeline.Cache.RefreshAsync(), pipeline.LastReadFailure());
        pipeline.Vault.ForbidNextReads(2);
        pipeline.Time.Advance(TimeSpan.FromMinutes(7));

        Assert.False(await pipeline.Cache.RefreshAsync());

        var failure = Assert.Single(failures.GetMeasurementSnapshot());
        Assert.Equal("forbidden_by_rbac", failure.Tags[TelemetryNames.Attributes.ErrorType]);
        Assert.Equal(1, failure.Value);
        age.RecordObservableInstruments();
        Assert.Equal(420, age.LastMeasurement?.Value);
    }
}
