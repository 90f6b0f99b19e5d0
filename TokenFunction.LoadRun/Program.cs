using System.Runtime.InteropServices;
using TokenFunction.LoadRun;
using TokenFunction.StandIns.FunctionsHost;

if (args.Length > 0 && args[0] == LoadClient.Verb)
{
    return await LoadClient.RunAsync(args[1..]);
}

// Ctrl+C or SIGTERM ends the run through Environment.Exit, whose ProcessExit handlers end every worker the run
// started (WorkerProcess); left to the signal's default, the workers outlived the run.
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

var options = LoadRunOptions.Parse(args);
var apps = new Dictionary<Subject, FunctionAppBuildOutput>
{
    [Subject.Floor] = options.FloorAppDirectory is null
        ? FunctionAppBuildOutput.FromAssemblyMetadata(typeof(LoadRun).Assembly, LoadRun.FloorAppMetadataKey)
        : FunctionAppBuildOutput.FromDirectory(options.FloorAppDirectory),
};
var tokenFunction = options.AppDirectory is null
    ? FunctionAppBuildOutput.FromAssemblyMetadata()
    : FunctionAppBuildOutput.FromDirectory(options.AppDirectory);
foreach (var subject in SubjectNames.All.Where(s => s.IsTokenFunction()))
{
    apps[subject] = tokenFunction;
}

Console.WriteLine($"Subjects {string.Join(", ", options.Subjects.Select(s => s.Name()))}; {options.Runs} fresh workers each; {options.Requests} requests per level " +
    $"at concurrency {string.Join(", ", options.Concurrencies)} after {options.Warmup} warm-up requests, from a separate client process over HTTP/1.1" +
    (options.CpuLimit is { } cores ? $"; each server process limited to {cores} cores" : ""));

if (options.Subjects.Contains(Subject.NodePeer))
{
    try
    {
        await NodePeer.InstallAsync();
    }
    catch (InvalidOperationException missing)
    {
        await Console.Error.WriteLineAsync($"FAILED node-peer: {missing.Message}");
        return 1;
    }
}

using var cpuLimit = options.CpuLimit is { } share ? CpuLimit.Create(share) : null;
await using var discardSink = options.Subjects.Any(s => s.Exports()) && options.OtlpEndpoint is null ? await OtlpDiscardSink.StartAsync() : null;
if (discardSink is not null)
{
    options = options with { OtlpEndpoint = discardSink.Endpoint.ToString() };
}

// Not reported: JIT-warms this process's host stand-in, HTTP front and HTTP client, so the first measured cold start is not charged with them.
await LoadRun.RunOnceAsync(Subject.Floor, 0, apps[Subject.Floor], options with { Requests = 1, Warmup = 1, Concurrencies = [1] });

var runs = new List<RunResult>();
// Rounds rather than blocks: each round starts a fresh worker of every subject, the floor first, so a
// neighbour's load that comes and goes during the run weighs on every subject alike.
for (var run = 1; run <= options.Runs; run++)
{
    foreach (var subject in options.Subjects)
    {
        try
        {
            var result = await LoadRun.RunOnceAsync(subject, run, apps.GetValueOrDefault(subject), options, cpuLimit);
            runs.Add(result);
            Console.WriteLine(result.Summary());
        }
        catch (InvalidOperationException failure)
        {
            // A worker that does not start or answer its first request leaves nothing to measure.
            await Console.Error.WriteLineAsync($"FAILED {subject.Name()} run {run}: {failure.Message}");
            return 1;
        }
    }
}

var report = LoadRunReport.Render(apps, options, runs);
Console.WriteLine(report);
if (options.OutputFile is not null)
{
    await File.WriteAllTextAsync(options.OutputFile, report);
    Console.WriteLine($"Written to {options.OutputFile}");
}

var failures = runs.SelectMany(r => r.Failures).ToList();
if (options.ReadmeFile is not null && failures.Count == 0)
{
    var readme = await File.ReadAllTextAsync(options.ReadmeFile);
    var begin = readme.IndexOf(LoadRunReport.ReadmeBegin, StringComparison.Ordinal);
    var end = readme.IndexOf(LoadRunReport.ReadmeEnd, StringComparison.Ordinal);
    if (begin < 0 || end < begin)
    {
        await Console.Error.WriteLineAsync($"FAILED --readme: {options.ReadmeFile} has no block between '{LoadRunReport.ReadmeBegin}' and '{LoadRunReport.ReadmeEnd}'.");
        return 1;
    }

    var summary = LoadRunReport.ReadmeSummary(options, runs);
    await File.WriteAllTextAsync(options.ReadmeFile, readme[..begin] + summary.TrimEnd('\n') + readme[(end + LoadRunReport.ReadmeEnd.Length)..]);
    Console.WriteLine($"Summary written to {options.ReadmeFile}");
}

foreach (var failure in failures)
{
    await Console.Error.WriteLineAsync("FAILED " + failure);
}

return failures.Count == 0 ? 0 : 1;

static void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    Console.Error.WriteLine($"Stopped by {context.Signal}; the workers it started are ended.");
    Environment.Exit(1);
}
