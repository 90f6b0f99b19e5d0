using System.Diagnostics;

namespace TokenFunction.LoadRun;

/// <summary>One load step: how many requests, how long, how many failed, and each latency.</summary>
public sealed record LoadResult(int Concurrency, int Requests, int Errors, TimeSpan Elapsed, long[] LatencyTicks)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public double PercentileMs(double percentile)
    {
        var sorted = LatencyTicks.Order().ToArray();
        var index = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}
