using System.Diagnostics;
using System.Globalization;
using TokenFunction.StandIns.FunctionsHost;

namespace TokenFunction.LoadRun;

/// <summary>
/// Where a cold start's time goes, in milliseconds, from the moments <see cref="StartupHook"/> reports from
/// inside the worker and the host stand-in sees on the gRPC stream; and where its CPU goes (the worker's CPU time,
/// all threads, which other processes on the machine barely move). Null where a moment was not reported.
/// </summary>
public sealed record ColdStartPhases(double? RuntimeStart, double? BuilderAndRegistrations, double? ContainerBuild, double? HostStartToConnect,
    double Handshake, double FirstRequest, double? CpuRuntimeStart, double? CpuBuilderAndRegistrations, double? CpuContainerBuild, double? CpuHostStartToFirstResponse,
    double? JittedByBuilt, double? JittedAtMain)
{
    public static readonly IReadOnlyList<(string Label, Func<ColdStartPhases, double?> Value)> Rows =
    [
        ("process start → Main (runtime start, assembly loading)", p => p.RuntimeStart),
        ("Main → Build() (builder, configuration, our registrations)", p => p.BuilderAndRegistrations),
        ("Build() (the DI container and host)", p => p.ContainerBuild),
        ("host start → gRPC stream open (options validation, hosted services, channel)", p => p.HostStartToConnect),
        ("handshake: init, metadata, function loads", p => p.Handshake),
        ("first request: functions loaded → first response (first credentials, first mint, JIT of the request path)", p => p.FirstRequest),
        ("worker CPU: process start → Main", p => p.CpuRuntimeStart),
        ("worker CPU: Main → Build()", p => p.CpuBuilderAndRegistrations),
        ("worker CPU: Build()", p => p.CpuContainerBuild),
        ("worker CPU: host start → first response (every thread: the connection, the handshake, the first request, and beside them the warm-up and the Key Vault read)", p => p.CpuHostStartToFirstResponse),
        ("methods the JIT compiled before Main (count; the startup hook's own included)", p => p.JittedAtMain),
        ("methods the JIT compiled by the end of Build() (count)", p => p.JittedByBuilt),
    ];

    /// <summary>The phases, and with --trace every traced event up to the first response.</summary>
    public static (ColdStartPhases Phases, IReadOnlyList<StartupEvent> Trace) From(FunctionsHost host, TimeSpan startToFirstResponse, TimeSpan cpuToFirstResponse)
    {
        var started = host.Worker.StartedTimestamp;
        var firstResponse = started + (long)(startToFirstResponse.TotalSeconds * Stopwatch.Frequency);
        var events = host.Log.Snapshot()
            .Where(e => e.Source == WorkerLogSource.Console && e.Message.StartsWith(StartupHook.Prefix, StringComparison.Ordinal))
            .Select(e => StartupEvent.Parse(e.Message[StartupHook.Prefix.Length..], started))
            .ToList();
        StartupEvent? At(string moment) => events.FirstOrDefault(e => e.Name == moment);
        static double? Between(long? from, long? to) => from is { } f && to is { } t ? (t - f) * 1000.0 / Stopwatch.Frequency : null;
        static double? CpuBetween(StartupEvent? from, StartupEvent? to) => from is not null && to is not null ? (to.ProcessCpuUs - from.ProcessCpuUs) / 1000.0 : null;

        var (main, building, built) = (At("main"), At("HostBuilding"), At("HostBuilt"));
        var phases = new ColdStartPhases(
            Between(started, main?.Timestamp),
            Between(main?.Timestamp, building?.Timestamp),
            Between(building?.Timestamp, built?.Timestamp),
            Between(built?.Timestamp, host.ConnectedTimestamp),
            Between(host.ConnectedTimestamp, host.LoadedTimestamp)!.Value,
            startToFirstResponse.TotalMilliseconds - Between(started, host.LoadedTimestamp)!.Value,
            main?.ProcessCpuUs / 1000.0,
            CpuBetween(main, building),
            CpuBetween(building, built),
            built is null ? null : cpuToFirstResponse.TotalMilliseconds - built.ProcessCpuUs / 1000.0,
            built?.Jitted,
            main?.Jitted);
        var trace = events.Where(e => e.Name.Contains('/', StringComparison.Ordinal) || e.Name.StartsWith("span-", StringComparison.Ordinal))
            .Where(e => e.Timestamp <= firstResponse)
            .ToList();
        return (phases, trace);
    }
}

/// <summary>One moment <see cref="StartupHook"/> reported, its counters as they stood then.</summary>
/// <param name="SinceStartMs">From the process's start, as the load run measured it.</param>
public sealed record StartupEvent(string Name, string Detail, long Timestamp, double SinceStartMs, long ProcessCpuUs, long ThreadCpuUs, int ThreadId, long Jitted, long AllocatedBytes)
{
    public static StartupEvent Parse(string line, long processStarted)
    {
        var parts = line.Split(' ', 8);
        long Long(int index) => long.Parse(parts[index], CultureInfo.InvariantCulture);
        var timestamp = Long(1);
        return new StartupEvent(parts[0], parts.Length > 7 ? parts[7] : "", timestamp, (timestamp - processStarted) * 1000.0 / Stopwatch.Frequency,
            Long(2), Long(3), (int)Long(4), Long(5), Long(6));
    }
}
