using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace TokenFunction.LoadRun;

/// <summary>
/// The load generator, run as a process of its own so that the figures include a real client's HTTP
/// parsing and connection handling on both sides of a TCP connection, as callers of a deployed app see it.
/// </summary>
public static class LoadClient
{
    public const string Verb = "client";

    /// <summary>In the client process: one JSON <see cref="StepResult"/> per concurrency level on stdout.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var values = CommandLine.Pairs(args);
        var target = LoadTarget.Named(values["target"]);
        var requests = int.Parse(values["requests"], CultureInfo.InvariantCulture);
        var warmup = int.Parse(values["warmup"], CultureInfo.InvariantCulture);
        using var handler = new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(values["url"]) };
        var driver = new LoadDriver(client, target);
        using var worker = Process.GetProcessById(int.Parse(values["worker-pid"], CultureInfo.InvariantCulture));
        using var host = Process.GetProcessById(int.Parse(values["host-pid"], CultureInfo.InvariantCulture));
        foreach (var concurrency in CommandLine.Integers(values["concurrency"]))
        {
            // Warm-up at the same concurrency: JIT on both sides, and every connection opened before timing starts.
            var warm = await driver.RunAsync(Math.Max(warmup, concurrency), concurrency).ConfigureAwait(false);
            var workerCpu = CpuMeter.Start(worker);
            var hostCpu = CpuMeter.Start(host);
            var measured = await driver.RunAsync(requests, concurrency).ConfigureAwait(false);
            var result = measured with
            {
                Errors = measured.Errors + warm.Errors,
                FirstFailure = warm.FirstFailure ?? measured.FirstFailure,
                WorkerCpuUsPerRequest = workerCpu.MicrosecondsPer(requests),
                HostCpuUsPerRequest = hostCpu.MicrosecondsPer(requests),
            };
            Console.WriteLine(JsonSerializer.Serialize(result));
        }

        return 0;
    }

    /// <summary>In the orchestrator: runs a client process against <paramref name="baseAddress"/> and reads its results.</summary>
    /// <param name="workerPid">The worker process, whose CPU time per measured request the client reports.</param>
    public static async Task<IReadOnlyList<StepResult>> RunProcessAsync(Uri baseAddress, int workerPid, LoadTarget target, int requests, int warmup, IEnumerable<int> concurrencies)
    {
        var startInfo = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            startInfo.ArgumentList.Add(typeof(LoadClient).Assembly.Location);
        }

        foreach (var argument in new[]
                 {
                     Verb, "--url", baseAddress.ToString(), "--target", target.Name, "--requests", requests.ToString(CultureInfo.InvariantCulture),
                     "--warmup", warmup.ToString(CultureInfo.InvariantCulture), "--concurrency", string.Join(',', concurrencies),
                     "--worker-pid", workerPid.ToString(CultureInfo.InvariantCulture), "--host-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                 })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The load client exited with code {process.ExitCode}: {await stderr.ConfigureAwait(false)}");
        }

        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonSerializer.Deserialize<StepResult>(line)!).ToList();
    }
}

/// <summary>
/// CPU time (user + kernel, all threads) another process spent from <see cref="Start"/> on: per request, it is the
/// work a request costs that process: moved less than requests/s by other processes competing for the cores, though
/// still moved by what they share (caches, a core's other hyperthread).
/// </summary>
internal readonly record struct CpuMeter(Process Process, TimeSpan Started)
{
    public static CpuMeter Start(Process process)
    {
        process.Refresh();
        return new CpuMeter(process, process.TotalProcessorTime);
    }

    public double MicrosecondsPer(int requests)
    {
        Process.Refresh();
        return (Process.TotalProcessorTime - Started).TotalMicroseconds / requests;
    }
}

/// <summary>"--name value" pairs, as both the orchestrator and the client take them.</summary>
public static class CommandLine
{
    public static Dictionary<string, string> Pairs(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"Expected --name value pairs, got '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        return values;
    }

    public static int[] Integers(string list) => list.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
}
