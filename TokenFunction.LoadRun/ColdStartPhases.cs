using System.Diagnostics;
using System.Globalization;
using TokenFunction.StandIns.FunctionsHost;

namespace TokenFunction.LoadRun;

/// <summary>
/// Where a cold start's time goes, in milliseconds, from the moments <see cref="StartupHook"/> reports from
/// inside the worker and the host stand-in sees on the gRPC stream. Null where a moment was not reported.
/// </summary>
public sealed record ColdStartPhases(double? RuntimeStart, double? BuilderAndRegistrations, double? ContainerBuild, double? HostStartToConnect,
    double Handshake, double FirstRequest)
{
    public static readonly IReadOnlyList<(string Label, Func<ColdStartPhases, double?> Value)> Rows =
    [
        ("process start → Main (runtime start, assembly loading)", p => p.RuntimeStart),
        ("Main → Build() (builder, configuration, our registrations)", p => p.BuilderAndRegistrations),
        ("Build() (the DI container and host)", p => p.ContainerBuild),
        ("host start → gRPC stream open (options validation, hosted services, channel)", p => p.HostStartToConnect),
        ("handshake: init, metadata, function loads", p => p.Handshake),
        ("first request: functions loaded → first response (first credentials, first mint, JIT of the request path)", p => p.FirstRequest),
    ];

    public static ColdStartPhases From(FunctionsHost host, TimeSpan startToFirstResponse)
    {
        var moments = host.Log.Snapshot()
            .Where(e => e.Source == WorkerLogSource.Console && e.Message.StartsWith(StartupHook.Prefix, StringComparison.Ordinal))
            .Select(e => e.Message[StartupHook.Prefix.Length..].Split(' '))
            .GroupBy(parts => parts[0])
            .ToDictionary(g => g.Key, g => long.Parse(g.First()[1], CultureInfo.InvariantCulture));
        long? At(string moment) => moments.TryGetValue(moment, out var at) ? at : null;
        static double? Between(long? from, long? to) => from is { } f && to is { } t ? (t - f) * 1000.0 / Stopwatch.Frequency : null;

        var started = host.Worker.StartedTimestamp;
        var (main, building, built) = (At("main"), At("HostBuilding"), At("HostBuilt"));
        return new ColdStartPhases(
            Between(started, main),
            Between(main, building),
            Between(building, built),
            Between(built, host.ConnectedTimestamp),
            Between(host.ConnectedTimestamp, host.LoadedTimestamp)!.Value,
            startToFirstResponse.TotalMilliseconds - Between(started, host.LoadedTimestamp)!.Value);
    }
}
