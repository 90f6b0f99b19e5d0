using System.Diagnostics;

namespace TokenFunction.StandIns.FunctionsHost;

/// <summary>
/// The worker as a child process: its console output goes to the log sink, and it is killed with its
/// whole process tree when disposed, so no test run leaves a worker behind.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>Stopwatch timestamp taken just before the process was started (cold-start measurements begin here).</summary>
    public long StartedTimestamp { get; private init; }

    /// <summary>Completes when the process has exited, whoever ended it.</summary>
    public Task Exited => _exited.Task;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public static WorkerProcess Start(string executable, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, WorkerLogSink log)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => AddConsoleLine(log, "stdout", e.Data);
        process.ErrorDataReceived += (_, e) => AddConsoleLine(log, "stderr", e.Data);

        var started = Stopwatch.GetTimestamp();
        process.Start();
        var worker = new WorkerProcess(process) { StartedTimestamp = started };
        process.Exited += (_, _) =>
        {
            // Exited can fire before the last output lines are read; wait for both pipes to close so
            // a start-up error message includes what the worker printed last.
            try
            {
                process.WaitForExit();
            }
            catch (InvalidOperationException)
            {
                // Disposed meanwhile: the output no longer matters.
            }

            worker._exited.TrySetResult();
        };
        // No HasExited shortcut here: EnableRaisingEvents was set before Start, so Exited is raised even
        // for a worker that is already gone, and only that handler waits for its output to be read.
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        KillOnTestRunExit(process);
        return worker;
    }

    /// <summary>Peak resident memory (VmHWM from /proc), or null where /proc is not there or the process is gone.</summary>
    public long? PeakResidentBytes()
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is null)
            {
                return null;
            }

            var kilobytes = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            return kilobytes * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// CPU time the worker has used so far, all threads, user and kernel: unlike elapsed time, barely
    /// moved by other processes competing for the cores.
    /// </summary>
    public TimeSpan TotalProcessorTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        var finished = await Task.WhenAny(Exited, Task.Delay(timeout)).ConfigureAwait(false);
        return finished == Exited;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone: nothing to clean up.
        }

        _process.Dispose();
    }

    private static void AddConsoleLine(WorkerLogSink log, string stream, string? line)
    {
        if (line is not null)
        {
            log.Add(new WorkerLogEntry(WorkerLogSource.Console, stream, "console", line, null));
        }
    }

    // A test runner that is aborted does not dispose its fixtures; this still ends the worker when the
    // runner's process exits normally or on Ctrl+C.
    private static void KillOnTestRunExit(Process process)
    {
        void Kill(object? sender, EventArgs e)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }
        }

        AppDomain.CurrentDomain.ProcessExit += Kill;
        process.Exited += (_, _) => AppDomain.CurrentDomain.ProcessExit -= Kill;
    }
}
