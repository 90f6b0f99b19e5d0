using System.Globalization;

namespace TokenFunction.LoadRun;

/// <summary>Command line: --runs 3 --requests 10000 --concurrency 1,8,64 --warmup 1000 --app DIR --out FILE --mode local|vault --refresh-seconds N --otlp URL.</summary>
/// <param name="VaultMode">Credentials from the Key Vault stand-in through managed identity (as in Azure) instead of settings.</param>
/// <param name="RefreshInterval">Vault mode: KeyVault:RefreshInterval; null keeps the app's default.</param>
/// <param name="OtlpEndpoint">The worker exports its telemetry there (OTEL_EXPORTER_OTLP_ENDPOINT); null: no export.</param>
public sealed record LoadRunOptions(int Runs, int Requests, IReadOnlyList<int> Concurrencies, int Warmup, string? AppDirectory, string? OutputFile,
    bool VaultMode, TimeSpan? RefreshInterval, string? OtlpEndpoint = null)
{
    public static LoadRunOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Expected --name value pairs, got '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var concurrencies = values.TryGetValue("concurrency", out var list)
            ? list.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray()
            : [1, 8, 64];
        return new LoadRunOptions(Int("runs", 3), Int("requests", 10_000), concurrencies, Int("warmup", 1_000),
            values.GetValueOrDefault("app"), values.GetValueOrDefault("out"), Mode(values.GetValueOrDefault("mode", "local")),
            values.ContainsKey("refresh-seconds") ? TimeSpan.FromSeconds(Int("refresh-seconds", 0)) : null,
            values.GetValueOrDefault("otlp"));
    }

    private static bool Mode(string mode) => mode switch
    {
        "local" => false,
        "vault" => true,
        _ => throw new ArgumentException($"--mode is local or vault, not '{mode}'."),
    };
}
