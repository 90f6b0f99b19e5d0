using System.Globalization;

namespace TokenFunction.LoadRun;

/// <summary>
/// What a run measures: the floor app; TokenFunction with credentials from settings, or from the Key Vault stand-in,
/// either exporting its telemetry over OTLP (the price of observability; vault mode exporting is the configuration
/// Azure runs), or in local mode with the rate limit shared through a redis-server on loopback (the price of one
/// Redis round trip per request); and the same-run peer, VideoSDK's Node example token server (node-peer/).
/// </summary>
public enum Subject
{
    Floor,
    Local,
    Vault,
    Exporting,
    VaultExporting,
    NodePeer,
    Redis,
}

public static class SubjectNames
{
    public static readonly IReadOnlyList<Subject> All = Enum.GetValues<Subject>();

    /// <summary>The name on the command line and in the report's ratios: floor, local, vault, exporting, vault-exporting, node-peer, redis.</summary>
    public static string Name(this Subject subject) => subject switch
    {
        Subject.VaultExporting => "vault-exporting",
        Subject.NodePeer => "node-peer",
        _ => subject.ToString().ToLowerInvariant(),
    };

    public static Subject Parse(string name) =>
        All.Cast<Subject?>().SingleOrDefault(s => s!.Value.Name() == name)
        ?? throw new ArgumentException($"--subjects lists {string.Join(", ", All.Select(s => s.Name()))}, not '{name}'.");

    /// <summary>TokenFunction's worker behind the host stand-in (not the floor, not the Node peer).</summary>
    public static bool IsTokenFunction(this Subject subject) => subject is Subject.Local or Subject.Vault or Subject.Exporting or Subject.VaultExporting or Subject.Redis;

    public static bool ReadsVault(this Subject subject) => subject is Subject.Vault or Subject.VaultExporting;

    public static bool Exports(this Subject subject) => subject is Subject.Exporting or Subject.VaultExporting;
}

/// <summary>
/// Command line: --runs 5 --requests 10000 --concurrency 1,8,64 --warmup 20000 --subjects floor,local,vault,exporting,vault-exporting,node-peer,redis
/// --app DIR --floor-app DIR --out FILE --refresh-seconds N --otlp URL --readme FILE --revision TEXT --cpu-limit CORES --trace true
/// --setting NAME=VALUE[;NAME=VALUE...].
/// </summary>
/// <param name="RefreshInterval">Vault subject: KeyVault:RefreshInterval; null keeps the app's default.</param>
/// <param name="Revision">What was measured (measure.sh passes the commit), printed with the figures.</param>
/// <param name="ReadmeFile">A Markdown file whose load-run summary block is replaced with this run's figures against the targets.</param>
/// <param name="OtlpEndpoint">Where the exporting subjects send their telemetry (OTEL_EXPORTER_OTLP_ENDPOINT); null: the load run's own discard sink.</param>
/// <param name="CpuLimit">The CPU share, in cores, of every measured server process (a CPU cgroup's quota, <see cref="CpuLimit"/>); null: unlimited.</param>
/// <param name="Trace">The cold start's events (Key Vault reads, TLS, managed identity, first invocation) traced inside the worker and reported as a timeline.</param>
/// <param name="Settings">More app settings for every TokenFunction and floor worker (an experiment: a log level, a runtime knob such as DOTNET_TieredPGO=0).</param>
public sealed record LoadRunOptions(int Runs, int Requests, IReadOnlyList<int> Concurrencies, int Warmup, IReadOnlyList<Subject> Subjects,
    string? AppDirectory, string? FloorAppDirectory, string? OutputFile, TimeSpan? RefreshInterval, string? OtlpEndpoint = null, string? ReadmeFile = null,
    string? Revision = null, double? CpuLimit = null, bool Trace = false, IReadOnlyList<KeyValuePair<string, string>>? Settings = null)
{
    public static LoadRunOptions Parse(string[] args)
    {
        var values = CommandLine.Pairs(args);
        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var subjects = values.TryGetValue("subjects", out var named)
            ? named.Split(',').Select(SubjectNames.Parse).Distinct().Order().ToArray()
            : SubjectNames.All.ToArray();
        // Steady state means after tiered compilation has recompiled the hot path: on 2 cores that took more than
        // 5,000 requests (the worker's CPU per request was still twice its settled value), hence the long warm-up.
        return new LoadRunOptions(Int("runs", 5), Int("requests", 10_000),
            values.TryGetValue("concurrency", out var list) ? CommandLine.Integers(list) : [1, 8, 64], Int("warmup", 20_000), subjects,
            values.GetValueOrDefault("app"), values.GetValueOrDefault("floor-app"), values.GetValueOrDefault("out"),
            values.ContainsKey("refresh-seconds") ? TimeSpan.FromSeconds(Int("refresh-seconds", 0)) : null,
            values.GetValueOrDefault("otlp"), values.GetValueOrDefault("readme"), values.GetValueOrDefault("revision"),
            values.TryGetValue("cpu-limit", out var cores) ? double.Parse(cores, CultureInfo.InvariantCulture) : null,
            values.TryGetValue("trace", out var trace) && bool.Parse(trace),
            values.TryGetValue("setting", out var settings)
                ? settings.Split(';').Select(pair => pair.Split('=', 2) is [var name, var value] ? KeyValuePair.Create(name, value)
                    : throw new ArgumentException($"--setting takes NAME=VALUE pairs separated by ';', not '{pair}'.")).ToList()
                : null);
    }
}
