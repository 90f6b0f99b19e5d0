using System.Globalization;

namespace TokenFunction.LoadRun;

/// <summary>Command line: --runs 3 --requests 10000 --concurrency 1,8,64 --warmup 1000 --app DIR --out FILE.</summary>
public sealed record LoadRunOptions(int Runs, int Requests, IReadOnlyList<int> Concurrencies, int Warmup, string? AppDirectory, string? OutputFile)
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
            values.GetValueOrDefault("app"), values.GetValueOrDefault("out"));
    }
}
