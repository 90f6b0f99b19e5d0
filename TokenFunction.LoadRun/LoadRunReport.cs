using System.Globalization;
using System.Text;
using TokenFunction.Tests.TestInfrastructure.FunctionsHost;

namespace TokenFunction.LoadRun;

/// <summary>The figures as Markdown: each a median over the runs, with min and max.</summary>
public static class LoadRunReport
{
    public static string Render(FunctionAppBuildOutput app, LoadRunOptions options, IReadOnlyList<RunResult> runs)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Worker `{Path.GetFileName(app.WorkerPath)}` from `{app.Directory}`; {runs.Count} runs, each on a freshly started worker; " +
            $"{options.Requests} requests per concurrency level after {options.Warmup} warm-up requests; credentials from {CredentialsSource(options)}; telemetry {(options.OtlpEndpoint is null ? "off" : "exported over OTLP to " + options.OtlpEndpoint)}. Median (min–max).");
        text.AppendLine();
        text.AppendLine("| measure | median (min–max) |");
        text.AppendLine("| --- | --- |");
        Row(text, "cold start: process start → functions loaded (ms)", runs.Select(r => r.StartToLoaded.TotalMilliseconds), "0");
        Row(text, "cold start: process start → first token served (ms)", runs.Select(r => r.StartToFirstToken.TotalMilliseconds), "0");
        Row(text, "worker peak memory, VmHWM (MiB)", runs.Select(r => (r.PeakResidentBytes ?? 0) / 1048576.0), "0");
        Row(text, "errors (all steps, all runs)", [runs.Sum(r => r.Errors)], "0");
        if (runs.All(r => r.VaultReads is not null))
        {
            Row(text, "Key Vault GETs (authorized, key + secret) to serve the first token", runs.Select(r => (double)r.VaultReads!.ToFirstToken), "0");
            Row(text, "Key Vault GETs after the first token", runs.Select(r => (double)r.VaultReads!.AfterFirstToken), "0");
            Row(text, "… of which scheduled refreshes (2 per whole refresh interval elapsed)", runs.Select(r => (double)r.VaultReads!.Scheduled), "0");
            Row(text, "Key Vault GETs per 10,000 requests after the first token", runs.Select(r => r.VaultReads!.PerTenThousandRequests), "0.00");
            Row(text, "Key Vault GETs per 10,000 requests beyond the scheduled refreshes", runs.Select(r => r.VaultReads!.BeyondScheduledPerTenThousandRequests), "0.00");
            Row(text, "requests served after the first token", runs.Select(r => (double)r.VaultReads!.RequestsAfterFirstToken), "0");
            Row(text, "seconds from the first token to the last request", runs.Select(r => r.VaultReads!.Elapsed.TotalSeconds), "0");
        }

        text.AppendLine();
        text.AppendLine("`POST /api/token`, steady state:");
        text.AppendLine();
        text.AppendLine("| concurrency | requests/s | p50 (ms) | p99 (ms) | errors |");
        text.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var concurrency in options.Concurrencies)
        {
            var steps = runs.Select(r => r.Token.Single(t => t.Concurrency == concurrency)).ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {concurrency} | {Spread(steps.Select(s => s.RequestsPerSecond), "0")} | {Spread(steps.Select(s => s.PercentileMs(50)), "0.00")} | " +
                $"{Spread(steps.Select(s => s.PercentileMs(99)), "0.00")} | {steps.Sum(s => s.Errors)} |");
        }

        text.AppendLine();
        text.AppendLine("Where a request's time goes, concurrency 1, p50 latency (ms):");
        text.AppendLine();
        text.AppendLine("| path | p50 (ms) | what it adds |");
        text.AppendLine("| --- | --- | --- |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| `POST /api/token` without key → 401 | {Spread(runs.Select(r => r.Rejected.PercentileMs(50)), "0.000")} | client and host stand-in only, no gRPC |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| `GET /api/health` → 200 | {Spread(runs.Select(r => r.Health.PercentileMs(50)), "0.000")} | + gRPC hop and the worker's invocation pipeline |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| `POST /api/token` → 200 | {Spread(runs.Select(r => r.TokenSequential.PercentileMs(50)), "0.000")} | + body parsing, policy, minting, JSON |");
        return text.ToString();
    }

    private static string CredentialsSource(LoadRunOptions options) => !options.VaultMode ? "settings (local mode)"
        : options.RefreshInterval is { } interval ? $"the Key Vault stand-in through managed identity, refreshed every {interval.TotalSeconds:0} s"
        : "the Key Vault stand-in through managed identity, with the app's default refresh interval and staleness";

    private static void Row(StringBuilder text, string label, IEnumerable<double> values, string format) =>
        text.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Spread(values, format)} |");

    private static string Spread(IEnumerable<double> values, string format)
    {
        var sorted = values.Order().ToArray();
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        string F(double v) => v.ToString(format, CultureInfo.InvariantCulture);
        return sorted.Length == 1 ? F(median) : $"{F(median)} ({F(sorted[0])}–{F(sorted[^1])})";
    }
}
