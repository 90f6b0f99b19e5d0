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
            var what = apps.TryGetValue(subject, out var app)
                ? $"`{Path.GetFileName(app.WorkerPath)}` from `{app.Directory}`"
                : $"`node server.js` from `TokenFunction.LoadRun/node-peer` on Node.js {NodeVersion()}, {NodePackages()}";
            text.AppendLine(CultureInfo.InvariantCulture, $"- {Label(subject, options)}: {what}");
        }

        if (options.CpuLimit is { } cores)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Each worker and the Node peer ran in a CPU cgroup with a quota of {cores} cores (`--cpu-limit {cores}`); the host stand-in and the client did not.");
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
        var workers = subjects.Where(s => s != Subject.NodePeer).ToList();
        text.AppendLine("Where the cold start goes (ms; moments from a startup hook in the worker and from the gRPC stream; CPU time from the worker's own counters):");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| phase | {string.Join(" | ", workers.Select(s => Label(s, options)))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| --- |{string.Concat(workers.Select(_ => " --- |"))}");
        foreach (var (label, value) in ColdStartPhases.Rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {string.Join(" | ", workers.Select(s =>
            {
                var values = runs.Where(r => r.Subject == s).Select(r => r.ColdStart is { } phases ? value(phases) : null).ToList();
                return values.All(v => v is not null) ? Spread(values.Select(v => v!.Value), "0") : "–";
            }))} |");
        }

        if (options.Trace)
        {
            StartupTrace.Render(text, runs.Where(r => r.Trace.Count > 0).ToList(), s => Label(s, options));
        }

        text.AppendLine();
        text.AppendLine("Steady state (the floor: `POST /api/ping`; TokenFunction: `POST /api/token`, the same request body; the Node peer: " +
            "`GET /get-token` with `{\"roomId\":\"abcd-efgh-ijkl\"}` in its body, a token bound to that room as ours):");
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
                    $"{s.Name()} {MedianOf(runs, s, r => Step(r).RequestsPerSecond) / MedianOf(runs, Subject.Floor, r => Step(r).RequestsPerSecond):0.00}×")) + " |"
                : "";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {concurrency} | {string.Join(" | ", cells)} |{ratio}");
        }

        text.AppendLine();
        text.AppendLine("CPU time per request over the same measured requests (µs; user + kernel, all threads): the worker (the Node peer: its one process), and the load run's own process " +
            "(the host stand-in, and for those subjects the vault stand-ins or the OTLP discard sink; for the Node peer, reading its log lines):");
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
                    $"{s.Name()} {MedianOf(runs, s, r => Step(r).WorkerCpuUsPerRequest) / MedianOf(runs, Subject.Floor, r => Step(r).WorkerCpuUsPerRequest):0.00}×")) + " |"
                : "";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {concurrency} | {string.Join(" | ", cells)} |{ratio}");
        }

        var withBreakdown = subjects.Where(s => s.IsTokenFunction()).ToList();
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

        foreach (var (without, with) in new[] { (Subject.Local, Subject.Exporting), (Subject.Vault, Subject.VaultExporting) })
        {
            if (subjects.Contains(without) && subjects.Contains(with))
            {
                TelemetryCost(text, options, runs, without, with);
            }
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

    /// <summary>
    /// The figures against the targets, for the README's performance section (between <see cref="ReadmeBegin"/> and
    /// <see cref="ReadmeEnd"/>): one row per subject, each measure with its ratio to the floor app and, where it has
    /// one, the target beside the ratio. Compact on purpose: the front page has a size budget; every other figure is
    /// in the full report.
    /// </summary>
    public static string ReadmeSummary(LoadRunOptions options, IReadOnlyList<RunResult> runs)
    {
        var subjects = options.Subjects;
        var text = new StringBuilder();
        text.AppendLine(ReadmeBegin);
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:yyyy-MM-dd}{Revision(options)}, {Environment.ProcessorCount} cores ({CpuModel()}), {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, " +
            $"ReadyToRun publishes; median (min–max) of {options.Runs} fresh workers, ratio of medians to the floor app (target): " +
            $"`TokenFunction.LoadRun/measure.sh artifacts/perf {CommandLineOf(options)}`");
        text.AppendLine();
        if (!subjects.Contains(Subject.Floor))
        {
            text.AppendLine(ReadmeEnd);
            return text.ToString();
        }

        Func<RunResult, double> coldStart = r => r.StartToFirstResponse.TotalMilliseconds;
        Func<RunResult, double>? Steady(int concurrency, Func<StepResult, double> value) =>
            options.Concurrencies.Contains(concurrency) ? r => value(r.Steady.Single(t => t.Concurrency == concurrency)) : null;
        var columns = new (string Heading, Func<RunResult, double>? Value, string Format, IReadOnlyDictionary<Subject, string> Targets)[]
        {
            ("cold start to the first token (ms)", coldStart, "0", new Dictionary<Subject, string> { [Subject.Local] = "≤ 1.10×", [Subject.Vault] = "≤ 1.15×" }),
            ("requests/s at concurrency 8", Steady(8, s => s.RequestsPerSecond), "0", new Dictionary<Subject, string> { [Subject.Local] = "≥ 0.8×", [Subject.VaultExporting] = "≥ 0.9×" }),
            ("p99 at concurrency 64 (ms)", Steady(64, s => s.P99Ms), "0.00", new Dictionary<Subject, string> { [Subject.VaultExporting] = "≤ 1.5×" }),
        };
        var shown = columns.Where(c => c.Value is not null).ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"| subject | {string.Join(" | ", shown.Select(c => $"{c.Heading} | ratio"))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| --- |{string.Concat(shown.Select(_ => " --- | --- |"))}");
        foreach (var subject in subjects)
        {
            var cells = shown.Select(c =>
            {
                var ratio = (MedianOf(runs, subject, c.Value!) / MedianOf(runs, Subject.Floor, c.Value!)).ToString("0.00", CultureInfo.InvariantCulture) + "×";
                var target = c.Targets.TryGetValue(subject, out var bound) ? $" ({bound})" : "";
                return $"{Spread(runs.Where(r => r.Subject == subject).Select(c.Value!), c.Format)} | {ratio}{target}";
            });
            text.AppendLine(CultureInfo.InvariantCulture, $"| {ShortLabel(subject)} | {string.Join(" | ", cells)} |");
        }

        if (subjects.Contains(Subject.Local) && subjects.Contains(Subject.Redis) && Steady(8, s => s.P99Ms) is { } p99At8)
        {
            // One line: the README stays under its size bound; CPU and the other levels are in the full report.
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"The rate limit shared in Redis (loopback) adds {Adds(runs, Subject.Redis, p99At8, "+0.00;-0.00;0.00")} ms to local mode's p99 at concurrency 8 (target ≤ +1 ms).");
        }

        text.AppendLine(ReadmeEnd);
        return text.ToString();
    }

    /// <summary>The options as the command line that gives them (the app folders are measure.sh's).</summary>
    public static string CommandLineOf(LoadRunOptions options) =>
        $"--runs {options.Runs} --requests {options.Requests} --warmup {options.Warmup} --concurrency {string.Join(',', options.Concurrencies)} " +
        $"--subjects {string.Join(',', options.Subjects.Select(s => s.Name()))}" +
        (options.RefreshInterval is { } refresh ? $" --refresh-seconds {refresh.TotalSeconds:0}" : "") +
        (options.CpuLimit is { } cores ? string.Create(CultureInfo.InvariantCulture, $" --cpu-limit {cores}") : "") +
        (options.Trace ? " --trace true" : "") +
        (options.Settings is { Count: > 0 } settings ? $" --setting '{string.Join(';', settings.Select(s => $"{s.Key}={s.Value}"))}'" : "");

    private static string Revision(LoadRunOptions options) => options.Revision is { } revision ? $", {revision}" : "";

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "CPU model unknown"
            : "CPU model unknown";

    /// <summary>What exporting telemetry costs: <paramref name="with"/> against <paramref name="without"/>, medians of each.</summary>
    private static void TelemetryCost(StringBuilder text, LoadRunOptions options, IReadOnlyList<RunResult> runs, Subject without, Subject with)
    {
        string Adds(Func<RunResult, double> value) =>
            (MedianOf(runs, with, value) - MedianOf(runs, without, value)).ToString("+0;-0;0", CultureInfo.InvariantCulture);
        string Changes(Func<RunResult, double> value) =>
            ((MedianOf(runs, with, value) / MedianOf(runs, without, value) - 1) * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " %";

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Telemetry cost: {Label(with, options)} to {options.OtlpEndpoint} against {Label(without, options)} (medians):");
        text.AppendLine();
        text.AppendLine("| measure | change |");
        text.AppendLine("| --- | --- |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| cold start, process start → first response (ms) | {Adds(r => r.StartToFirstResponse.TotalMilliseconds)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| worker CPU time to the first response (ms) | {Adds(r => r.CpuToFirstResponse.TotalMilliseconds)} |");
        foreach (var concurrency in options.Concurrencies)
        {
            StepResult Step(RunResult r) => r.Steady.Single(t => t.Concurrency == concurrency);
            text.AppendLine(CultureInfo.InvariantCulture, $"| requests/s at concurrency {concurrency} | {Changes(r => Step(r).RequestsPerSecond)} |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| worker CPU per request at concurrency {concurrency} | {Changes(r => Step(r).WorkerCpuUsPerRequest)} |");
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

    private static double MedianOf(IReadOnlyList<RunResult> runs, Subject subject, Func<RunResult, double> value) =>
        Median(runs.Where(r => r.Subject == subject).Select(value));

    private static string Label(Subject subject, LoadRunOptions options) => subject switch
    {
        Subject.Floor => "floor app",
        Subject.Local => "TokenFunction, local mode",
        Subject.Exporting => "TokenFunction, local mode exporting over OTLP",
        Subject.VaultExporting => "TokenFunction, vault mode exporting over OTLP (as in Azure)",
        Subject.NodePeer => "VideoSDK's Node example token server",
        Subject.Redis => "TokenFunction, local mode, rate limit in a local Redis",
        _ => options.RefreshInterval is { } interval ? $"TokenFunction, vault mode (refresh {interval.TotalSeconds:0} s)" : "TokenFunction, vault mode",
    };

    private static string ShortLabel(Subject subject) => subject switch
    {
        Subject.Floor => "floor app",
        Subject.Local => "local mode",
        Subject.Vault => "vault mode",
        Subject.Exporting => "local mode, exporting",
        Subject.VaultExporting => "vault mode, exporting (as in Azure)",
        Subject.NodePeer => "VideoSDK's Node example",
        Subject.Redis => "local mode, rate limit in Redis",
        _ => subject.Name(),
    };

    private static string NodeVersion()
    {
        using var node = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("node", "--version") { RedirectStandardOutput = true })!;
        var version = node.StandardOutput.ReadToEnd().Trim();
        node.WaitForExit();
        return version;
    }

    /// <summary>The installed versions of the example's libraries, as the lock file pinned them.</summary>
    private static readonly string[] NodeExamplePackages = ["express", "jsonwebtoken", "cors", "morgan", "dotenv", "node-fetch"];

    private static string NodePackages() => string.Join(", ", NodeExamplePackages.Select(name =>
    {
        using var package = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(NodePeer.Directory, "node_modules", name, "package.json")));
        return $"{name} {package.RootElement.GetProperty("version").GetString()}";
    }));

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

    internal static double Median(IEnumerable<double> values)
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
