using System.Globalization;

namespace TokenFunction.LoadRun;

/// <summary>
/// What a run measures: the floor app, TokenFunction with credentials from settings, or from the Key Vault stand-in,
/// or in local mode exporting its telemetry over OTLP (the price of observability), or in local mode with the
/// rate limit shared through a redis-server on loopback (the price of one Redis round trip per request).
/// </summary>
public enum Subject
{
    Floor,
    Local,
    Vault,
    Exporting,
    Redis,
}

/// <summary>
/// Command line: --runs 3 --requests 10000 --concurrency 1,8,64 --warmup 20000 --subjects floor,local,vault,exporting,redis
/// --app DIR --floor-app DIR --out FILE --refresh-seconds N --otlp URL --readme FILE --revision TEXT.
/// </summary>
/// <param name="RefreshInterval">Vault subject: KeyVault:RefreshInterval; null keeps the app's default.</param>
/// <param name="Revision">What was measured (measure.sh passes the commit), printed with the figures.</param>
/// <param name="ReadmeFile">A Markdown file whose load-run summary block is replaced with this run's figures against the targets.</param>
/// <param name="OtlpEndpoint">Where the exporting subject sends its telemetry (OTEL_EXPORTER_OTLP_ENDPOINT); null: the load run's own discard sink.</param>
public sealed record LoadRunOptions(int Runs, int Requests, IReadOnlyList<int> Concurrencies, int Warmup, IReadOnlyList<Subject> Subjects,
    string? AppDirectory, string? FloorAppDirectory, string? OutputFile, TimeSpan? RefreshInterval, string? OtlpEndpoint = null, string? ReadmeFile = null, string? Revision = null)
{
    public static LoadRunOptions Parse(string[] args)
    {
        var values = CommandLine.Pairs(args);
        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var subjects = values.GetValueOrDefault("subjects", "floor,local,vault,exporting,redis").Split(',')
            .Select(s => Enum.TryParse<Subject>(s, ignoreCase: true, out var subject) ? subject
                : throw new ArgumentException($"--subjects lists floor, local, vault, exporting and redis, not '{s}'."))
            .Distinct().Order().ToArray();
        // Steady state means after tiered compilation has recompiled the hot path: on 2 cores that took more than
        // 5,000 requests (the worker's CPU per request was still twice its settled value), hence the long warm-up.
        return new LoadRunOptions(Int("runs", 3), Int("requests", 10_000),
            values.TryGetValue("concurrency", out var list) ? CommandLine.Integers(list) : [1, 8, 64], Int("warmup", 20_000), subjects,
            values.GetValueOrDefault("app"), values.GetValueOrDefault("floor-app"), values.GetValueOrDefault("out"),
            values.ContainsKey("refresh-seconds") ? TimeSpan.FromSeconds(Int("refresh-seconds", 0)) : null,
            values.GetValueOrDefault("otlp"), values.GetValueOrDefault("readme"), values.GetValueOrDefault("revision"));
    }
}
