using System.Globalization;
using System.Text;

namespace TokenFunction.LoadRun;

/// <summary>
/// The traced cold start (--trace true) as a timeline: every traced event up to the first response, matched across
/// the fresh workers by name, detail and occurrence, in the order of its median moment, with the counters beside it.
/// The CPU columns are what a busy machine does not move; the milliseconds since start are what it does.
/// </summary>
public static class StartupTrace
{
    public static void Render(StringBuilder text, IReadOnlyList<RunResult> traced, Func<Subject, string> label)
    {
        foreach (var subject in traced.Select(r => r.Subject).Distinct())
        {
            var runs = traced.Where(r => r.Subject == subject).ToList();
            var matched = runs
                .SelectMany(r => r.Trace
                    .GroupBy(e => (e.Name, e.Detail))
                    .SelectMany(g => g.Select((e, occurrence) => (Key: (g.Key.Name, g.Key.Detail, occurrence), Event: e))))
                .GroupBy(x => x.Key, x => x.Event)
                .Select(g => (g.Key, Events: g.ToList()))
                .OrderBy(g => LoadRunReport.Median(g.Events.Select(e => e.SinceStartMs)))
                .ToList();

            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Traced cold start, {label(subject)} (median of the {runs.Count} workers that had the event; ms; process CPU counts every thread, thread CPU the thread that raised the event):");
            text.AppendLine();
            text.AppendLine("| event | detail | workers | since process start | process CPU | thread CPU | thread | methods jitted | allocated (KiB) |");
            text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            foreach (var ((name, detail, occurrence), events) in matched)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {name}{(occurrence > 0 ? $" #{occurrence + 1}" : "")} | {detail} | {events.Count} | {LoadRunReport.Median(events.Select(e => e.SinceStartMs)):0.0} " +
                    $"| {LoadRunReport.Median(events.Select(e => e.ProcessCpuUs / 1000.0)):0.0} | {LoadRunReport.Median(events.Select(e => e.ThreadCpuUs / 1000.0)):0.0} | {events[0].ThreadId} " +
                    $"| {LoadRunReport.Median(events.Select(e => (double)e.Jitted)):0} | {LoadRunReport.Median(events.Select(e => e.AllocatedBytes / 1024.0)):0} |");
            }
        }
    }
}
