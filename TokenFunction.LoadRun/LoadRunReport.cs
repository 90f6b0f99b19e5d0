using System.Globalization;
using System.Text;
using TokenFunction.StandIns.FunctionsHost;

namespace TokenFunction.LoadRun;

/// <summary>The figures as Markdown: each a median over the fresh workers, with min and max, and ratios to the floor app.</summary>
public static class LoadRunReport
{
    public static string Render(IReadOnlyDictionary<Subject, FunctionAppBuildOutput> apps, LoadRunOptions options, IReadOnlyList<RunResult> runs)
    {
        var subjects = options.Subjects;
        var text = new StringBuilder();
        text.AppendLine("# Load-run results");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Written by TokenFunction.LoadRun on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC{Revision(options)}; do not edit by hand. {Environment.ProcessorCount} cores ({CpuModel()}), " +
            $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}; options `{CommandLineOf(options)}`.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{options.Runs} fresh workers per subject; {options.Requests} requests per concurrency level after " +
            $"{options.Warmup} warm-up requests, from a separate client process over HTTP/1.1 through the host stand-in's front. Median (min–max).");
        text.AppendLine();
        foreach (var subject in subjects)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {Label(subject, options)}: `{Path.GetFileName(apps[subject].WorkerPath)}` from `{apps[subject].Directory}`");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| measure | {string.Join(" | ", subjects.Select(s => Label(s, options)))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| --- |{string.Concat(subjects.Select(_ => " --- |"))}");
        Row(text, "cold start: process start → functions loaded (ms)", subjects, runs, r => r.StartToLoaded.TotalMilliseconds, "0");
        Row(text, "cold start: process start → first response (ms)", subjects, runs, r => r.StartToFirstResponse.TotalMilliseconds, "0");
        RatioRow(text, "… ratio to the floor (medians)", subjects, runs, r => r.StartToFirstResponse.TotalMilliseconds);
        Row(text, "worker CPU time (user + system, all threads) to the first response (ms)", subjects, runs, r => r.CpuToFirstResponse.TotalMilliseconds, "0");
        RatioRow(text, "… ratio to the floor (medians)", subjects, runs, r => r.CpuToFirstResponse.TotalMilliseconds);
        Row(text, "worker peak memory after concurrency 64, VmHWM (MiB)", subjects, runs, r => (r.PeakResidentBytes ?? 0) / 1048576.0, "0");
        text.AppendLine(CultureInfo.InvariantCulture, $"| failed steps | {string.Join(" | ", subjects.Select(s => runs.Where(r => r.Subject == s).Sum(r => r.Failures.Count)))} |");

        text.AppendLine();
        text.AppendLine("Where the cold start goes (ms; moments from a startup hook in the worker and from the gRPC stream):");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| phase | {string.Join(" | ", subjects.Select(s => Label(s, options)))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| --- |{string.Concat(subjects.Select(_ => " --- |"))}");
        foreach (var (label, value) in ColdStartPhases.Rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {string.Join(" | ", subjects.Select(s =>
            {
                var values = runs.Where(r => r.Subject == s).Select(r => value(r.ColdStart)).ToList();
                return values.All(v => v is not null) ? Spread(values.Select(v => v!.Value), "0") : "–";
            }))} |");
        }

        text.AppendLine();
        text.AppendLine("Steady state (the floor: `POST /api/ping`; TokenFunction: `POST /api/token`, the same request body):");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| concurrency | {string.Join(" | ", subjects.Select(s => Label(s, options) + ": requests/s | p50 (ms) | p99 (ms)"))} |{(subjects.Contains(Subject.Floor) ? " requests/s ratio to the floor |" : "")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"| --- |{string.Concat(subjects.Select(_ => " --- | --- | --- |"))}{(subjects.Contains(Subject.Floor) ? " --- |" : "")}");
        foreach (var concurrency in options.Concurrencies)
        {
            StepResult Step(RunResult r) => r.Steady.Single(t => t.Concurrency == concurrency);
            var cells = subjects.Select(s =>
            {
                var of = runs.Where(r => r.Subject == s).Select(Step).ToList();
                return $"{Spread(of.Select(x => x.RequestsPerSecond), "0")} | {Spread(of.Select(x => x.P50Ms), "0.00")} | {Spread(of.Select(x => x.P99Ms), "0.00")}";
            });
            var ratio = subjects.Contains(Subject.Floor)
                ? " " + string.Join(", ", subjects.Where(s => s != Subject.Floor).Select(s =>
                    $"{s.ToString().ToLowerInvariant()} {MedianOf(runs, s, r => Step(r).RequestsPerSecond) / MedianOf(runs, Subject.Floor, r => Step(r).RequestsPerSecond):0.00}×")) + " |"
                : "";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {concurrency} | {string.Join(" | ", cells)} |{ratio}");
        }

        text.AppendLine();
        text.AppendLine("CPU time per request over the same measured requests (µs; user + kernel, all threads): the worker, and the load run's own process " +
            "(the host stand-in, and for those subjects the vault stand-ins or the OTLP discard sink):");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| concurrency | {string.Join(" | ", subjects.Select(s => Label(s, options) + ": worker | load-run process"))} |{(subjects.Contains(Subject.Floor) ? " worker CPU ratio to the floor |" : "")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"| --- |{string.Concat(subjects.Select(_ => " --- | --- |"))}{(subjects.Contains(Subject.Floor) ? " --- |" : "")}");
        foreach (var concurrency in options.Concurrencies)
        {
            StepResult Step(RunResult r) => r.Steady.Single(t => t.Concurrency == concurrency);
            var cells = subjects.Select(s =>
            {
                var of = runs.Where(r => r.Subject == s).Select(Step).ToList();
                return $"{Spread(of.Select(x => x.WorkerCpuUsPerRequest), "0")} | {Spread(of.Select(x => x.HostCpuUsPerRequest), "0")}";
            });
            var ratio = subjects.Contains(Subject.Floor)
                ? " " + string.Join(", ", subjects.Where(s => s != Subject.Floor).Select(s =>
                    $"{s.ToString().ToLowerInvariant()} {MedianOf(runs, s, r => Step(r).WorkerCpuUsPerRequest) / MedianOf(runs, Subject.Floor, r => Step(r).WorkerCpuUsPerRequest):0.00}×")) + " |"
                : "";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {concurrency} | {string.Join(" | ", cells)} |{ratio}");
        }

        var withBreakdown = subjects.Where(s => s != Subject.Floor).ToList();
        if (withBreakdown.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Where a request's time goes, concurrency 1, p50 latency (ms), TokenFunction:");
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"| path | {string.Join(" | ", withBreakdown.Select(s => Label(s, options)))} | what it adds |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| --- |{string.Concat(withBreakdown.Select(_ => " --- |"))} --- |");
            foreach (var (name, path, adds) in new[]
                     {
                         ("missing", "`GET /api/no-such-route` → 404", "client, TCP, HTTP/1.1 and the host stand-in's routing; no gRPC"),
                         ("health", "`GET /api/health` → 200", "+ the gRPC hop and the worker's invocation pipeline"),
                         ("token", "`POST /api/token` → 200", "+ body parsing, policy, minting, JSON"),
                     })
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {path} | {string.Join(" | ", withBreakdown.Select(s => Spread(runs.Where(r => r.Subject == s).Select(r => r.Breakdown[name].P50Ms), "0.000")))} | {adds} |");
            }
        }

        if (subjects.Contains(Subject.Local) && subjects.Contains(Subject.Exporting))
        {
            TelemetryCost(text, options, runs);
        }

        if (subjects.Contains(Subject.Local) && subjects.Contains(Subject.Redis))
        {
            SharedLimitCost(text, options, runs);
        }

        var vault = runs.Where(r => r.VaultReads is not null).ToList();
        if (vault.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Key Vault reads (vault subject):");
            text.AppendLine();
            text.AppendLine("| measure | median (min–max) |");
            text.AppendLine("| --- | --- |");
            VaultRow(text, "Key Vault GETs (authorized, key + secret) to serve the first token", vault.Select(r => (double)r.VaultReads!.ToFirstToken), "0");
            VaultRow(text, "Key Vault GETs after the first token", vault.Select(r => (double)r.VaultReads!.AfterFirstToken), "0");
            VaultRow(text, "… of which scheduled refreshes (2 per whole refresh interval elapsed)", vault.Select(r => (double)r.VaultReads!.Scheduled), "0");
            VaultRow(text, "Key Vault GETs per 10,000 requests beyond the scheduled refreshes", vault.Select(r => r.VaultReads!.BeyondScheduledPerTenThousandRequests), "0.00");
            VaultRow(text, "token requests served after the first token", vault.Select(r => (double)r.VaultReads!.RequestsAfterFirstToken), "0");
            VaultRow(text, "seconds from the first token to the last request", vault.Select(r => r.VaultReads!.Elapsed.TotalSeconds), "0");
        }

        return text.ToString();
    }

    public const string ReadmeBegin = "<!-- load-run summary: written by TokenFunction.LoadRun --readme; do not edit by hand -->";
    public const string ReadmeEnd = "<!-- end of load-run summary -->";

    /// <summary>The figures against the targets, for the README's performance section (between <see cref="ReadmeBegin"/> and <see cref="ReadmeEnd"/>).</summary>
    public static string ReadmeSummary(LoadRunOptions options, IReadOnlyList<RunResult> runs)
    {
        var subjects = options.Subjects;
        string Of(Subject subject, Func<RunResult, double> value, string format) => Spread(runs.Where(r => r.Subject == subject).Select(value), format);
        string Ratio(Subject subject, Func<RunResult, double> value) =>
            (MedianOf(runs, subject, value) / MedianOf(runs, Subject.Floor, value)).ToString("0.00", CultureInfo.InvariantCulture) + "×";
        StepResult? Step(RunResult r, int concurrency) => r.Steady.SingleOrDefault(t => t.Concurrency == concurrency);

        var text = new StringBuilder();
        text.AppendLine(ReadmeBegin);
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:yyyy-MM-dd}{Revision(options)}, {Environment.ProcessorCount} cores ({CpuModel()}), {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, " +
            $"ReadyToRun publishes; median (min–max) of {options.Runs} fresh workers: " +
            $"`TokenFunction.LoadRun/measure.sh artifacts/perf {CommandLineOf(options)}`");
        text.AppendLine();
        text.AppendLine("| measure | floor app | TokenFunction, local mode | ratio | target |");
        text.AppendLine("| --- | --- | --- | --- | --- |");
        if (subjects.Contains(Subject.Floor) && subjects.Contains(Subject.Local))
        {
            Func<RunResult, double> coldStart = r => r.StartToFirstResponse.TotalMilliseconds;
            Func<RunResult, double> cpu = r => r.CpuToFirstResponse.TotalMilliseconds;
            text.AppendLine(CultureInfo.InvariantCulture, $"| cold start, process start → first token (ms) | {Of(Subject.Floor, coldStart, "0")} | {Of(Subject.Local, coldStart, "0")} | {Ratio(Subject.Local, coldStart)} | ≤ 1.25× |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| worker CPU time to the first token (ms) | {Of(Subject.Floor, cpu, "0")} | {Of(Subject.Local, cpu, "0")} | {Ratio(Subject.Local, cpu)} | |");
            // The target's concurrency only; every level is in the full report (docs/performance.md).
            if (options.Concurrencies.Contains(8))
            {
                Func<RunResult, double> rps = r => Step(r, 8)!.RequestsPerSecond;
                Func<RunResult, double> workerCpu = r => Step(r, 8)!.WorkerCpuUsPerRequest;
                text.AppendLine(CultureInfo.InvariantCulture, $"| requests/s at concurrency 8 | {Of(Subject.Floor, rps, "0")} | {Of(Subject.Local, rps, "0")} | {Ratio(Subject.Local, rps)} | ≥ 0.8× |");
                text.AppendLine(CultureInfo.InvariantCulture, $"| worker CPU per request at concurrency 8 (µs) | {Of(Subject.Floor, workerCpu, "0")} | {Of(Subject.Local, workerCpu, "0")} | {Ratio(Subject.Local, workerCpu)} | |");
            }

            Func<RunResult, double> memory = r => (r.PeakResidentBytes ?? 0) / 1048576.0;
            text.AppendLine(CultureInfo.InvariantCulture, $"| worker peak memory after the load (MiB) | {Of(Subject.Floor, memory, "0")} | {Of(Subject.Local, memory, "0")} | {Ratio(Subject.Local, memory)} | |");
        }

        if (subjects.Contains(Subject.Vault))
        {
            var ratio = subjects.Contains(Subject.Floor) ? Ratio(Subject.Vault, r => r.StartToFirstResponse.TotalMilliseconds) : "";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| vault mode: cold start to first token (ms) | | {Of(Subject.Vault, r => r.StartToFirstResponse.TotalMilliseconds, "0")} | {ratio} | |");
        }

        if (subjects.Contains(Subject.Local) && subjects.Contains(Subject.Exporting))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| exporting over OTLP: cold start added (ms) | | {ExportingAdds(runs, r => r.StartToFirstResponse.TotalMilliseconds)} | | ≤ +100 |");
            if (options.Concurrencies.Contains(8))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| exporting over OTLP: requests/s at concurrency 8 | | {ExportingChanges(runs, r => Step(r, 8)!.RequestsPerSecond)} | | ≥ −10 % |");
            }
        }

        if (subjects.Contains(Subject.Local) && subjects.Contains(Subject.Redis) && options.Concurrencies.Contains(8))
        {
            // One row: the README stays under its size bound; CPU and the other levels are in the full report.
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| Redis-shared rate limit: p99 at concurrency 8 added (ms) | | {Adds(runs, Subject.Redis, r => Step(r, 8)!.P99Ms, "+0.00;-0.00;0.00")} | | ≤ +1 |");
        }

        text.AppendLine(ReadmeEnd);
        return text.ToString();
    }

    /// <summary>The options as the command line that gives them (the app folders are measure.sh's).</summary>
    public static string CommandLineOf(LoadRunOptions options) =>
        $"--runs {options.Runs} --requests {options.Requests} --warmup {options.Warmup} --concurrency {string.Join(',', options.Concurrencies)} " +
        $"--subjects {string.Join(',', options.Subjects.Select(s => s.ToString().ToLowerInvariant()))}" +
        (options.RefreshInterval is { } refresh ? $" --refresh-seconds {refresh.TotalSeconds:0}" : "");

    private static string Revision(LoadRunOptions options) => options.Revision is { } revision ? $", {revision}" : "";

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "CPU model unknown"
            : "CPU model unknown";

    /// <summary>What exporting telemetry costs: the exporting subject against local mode, medians of each.</summary>
    private static void TelemetryCost(StringBuilder text, LoadRunOptions options, IReadOnlyList<RunResult> runs)
    {
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Telemetry cost: local mode exporting over OTLP to {options.OtlpEndpoint} against local mode without an exporter (medians):");
        text.AppendLine();
        text.AppendLine("| measure | change |");
        text.AppendLine("| --- | --- |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| cold start, process start → first response (ms) | {ExportingAdds(runs, r => r.StartToFirstResponse.TotalMilliseconds)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| worker CPU time to the first response (ms) | {ExportingAdds(runs, r => r.CpuToFirstResponse.TotalMilliseconds)} |");
        foreach (var concurrency in options.Concurrencies)
        {
            StepResult Step(RunResult r) => r.Steady.Single(t => t.Concurrency == concurrency);
            text.AppendLine(CultureInfo.InvariantCulture, $"| requests/s at concurrency {concurrency} | {ExportingChanges(runs, r => Step(r).RequestsPerSecond)} |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| worker CPU per request at concurrency {concurrency} | {ExportingChanges(runs, r => Step(r).WorkerCpuUsPerRequest)} |");
        }
    }

    /// <summary>What the shared rate limit costs: the redis subject (a redis-server on loopback) against local mode, medians of each.</summary>
    private static void SharedLimitCost(StringBuilder text, LoadRunOptions options, IReadOnlyList<RunResult> runs)
    {
        text.AppendLine();
        text.AppendLine("Shared rate limit cost: local mode with the rate limit in a redis-server on loopback against local mode's in-memory limiter (medians):");
        text.AppendLine();
        text.AppendLine("| concurrency | p50 added (ms) | p99 added (ms) | worker CPU per request added (µs) |");
        text.AppendLine("| --- | --- | --- | --- |");
        foreach (var concurrency in options.Concurrencies)
        {
            StepResult Step(RunResult r) => r.Steady.Single(t => t.Concurrency == concurrency);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {concurrency} | {Adds(runs, Subject.Redis, r => Step(r).P50Ms, "+0.00;-0.00;0.00")} | {Adds(runs, Subject.Redis, r => Step(r).P99Ms, "+0.00;-0.00;0.00")} | " +
                $"{Adds(runs, Subject.Redis, r => Step(r).WorkerCpuUsPerRequest, "+0;-0;0")} |");
        }
    }

    /// <summary>What <paramref name="subject"/> adds to a measure, against local mode (medians).</summary>
    private static string Adds(IReadOnlyList<RunResult> runs, Subject subject, Func<RunResult, double> value, string format) =>
        (MedianOf(runs, subject, value) - MedianOf(runs, Subject.Local, value)).ToString(format, CultureInfo.InvariantCulture);

    /// <summary>What exporting adds to a measure, against local mode (medians).</summary>
    private static string ExportingAdds(IReadOnlyList<RunResult> runs, Func<RunResult, double> value) =>
        (MedianOf(runs, Subject.Exporting, value) - MedianOf(runs, Subject.Local, value)).ToString("+0;-0;0", CultureInfo.InvariantCulture);

    /// <summary>How exporting changes a measure, in per cent of local mode's (medians).</summary>
    private static string ExportingChanges(IReadOnlyList<RunResult> runs, Func<RunResult, double> value) =>
        ((MedianOf(runs, Subject.Exporting, value) / MedianOf(runs, Subject.Local, value) - 1) * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " %";

    private static double MedianOf(IReadOnlyList<RunResult> runs, Subject subject, Func<RunResult, double> value) =>
        Median(runs.Where(r => r.Subject == subject).Select(value));

    private static string Label(Subject subject, LoadRunOptions options) => subject switch
    {
        Subject.Floor => "floor app",
        Subject.Local => "TokenFunction, local mode",
        Subject.Exporting => "TokenFunction, local mode exporting over OTLP",
        Subject.Redis => "TokenFunction, local mode, rate limit in a local Redis",
        _ => options.RefreshInterval is { } interval ? $"TokenFunction, vault mode (refresh {interval.TotalSeconds:0} s)" : "TokenFunction, vault mode",
    };

    private static void Row(StringBuilder text, string label, IReadOnlyList<Subject> subjects, IReadOnlyList<RunResult> runs, Func<RunResult, double> value, string format) =>
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {label} | {string.Join(" | ", subjects.Select(s => Spread(runs.Where(r => r.Subject == s).Select(value), format)))} |");

    private static void RatioRow(StringBuilder text, string label, IReadOnlyList<Subject> subjects, IReadOnlyList<RunResult> runs, Func<RunResult, double> value)
    {
        if (!subjects.Contains(Subject.Floor))
        {
            return;
        }

        var floor = Median(runs.Where(r => r.Subject == Subject.Floor).Select(value));
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {label} | {string.Join(" | ", subjects.Select(s => (Median(runs.Where(r => r.Subject == s).Select(value)) / floor).ToString("0.00", CultureInfo.InvariantCulture) + "×"))} |");
    }

    private static void VaultRow(StringBuilder text, string label, IEnumerable<double> values, string format) =>
        text.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {Spread(values, format)} |");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Spread(IEnumerable<double> values, string format)
    {
        var sorted = values.Order().ToArray();
        string F(double v) => v.ToString(format, CultureInfo.InvariantCulture);
        return sorted.Length == 1 ? F(sorted[0]) : $"{F(Median(sorted))} ({F(sorted[0])}–{F(sorted[^1])})";
    }
}
