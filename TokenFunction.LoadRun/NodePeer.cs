using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace TokenFunction.LoadRun;

/// <summary>
/// The same-run peer: VideoSDK's Node example token server as node-peer/server.js reproduces it, started as a
/// process of its own on a free loopback port, its packages installed from the committed lock file.
/// Its per-request log lines (morgan) are read and dropped, as a platform's log collector would take them.
/// </summary>
internal sealed partial class NodePeer : IAsyncDisposable
{
    /// <summary>The [AssemblyMetadata] key under which the csproj records the node-peer folder.</summary>
    public const string DirectoryMetadataKey = "NodePeerDirectory";

    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _tail = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodePeer(Process process, long startedTimestamp)
    {
        _process = process;
        StartedTimestamp = startedTimestamp;
    }

    public static string Directory { get; } = typeof(NodePeer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == DirectoryMetadataKey).Value!;

    public int Id => _process.Id;

    public long StartedTimestamp { get; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Stopwatch timestamp of its ready line (the example's "API server listening at ...").</summary>
    public long ListeningTimestamp { get; private set; }

    /// <summary>
    /// Its packages from the committed lock file (npm ci), unless node_modules is already at least as new as the lock
    /// file; fails with one line when Node.js or npm is missing.
    /// </summary>
    public static async Task InstallAsync()
    {
        var installed = new FileInfo(Path.Combine(Directory, "node_modules", ".package-lock.json"));
        if (installed.Exists && installed.LastWriteTimeUtc >= File.GetLastWriteTimeUtc(Path.Combine(Directory, "package-lock.json")))
        {
            return;
        }

        await RunToEndAsync("npm", "ci", "--no-audit", "--no-fund");
    }

    private static async Task RunToEndAsync(string program, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = Directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(startInfo)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"{program} is not on the PATH: the Node peer needs Node.js 20 or later (README.md, section \"Prerequisites\").");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} in {Directory} failed ({process.ExitCode}): {await output}{await errors}");
            }
        }
    }

    /// <param name="launcher">Starts node in the CPU-limited cgroup when the run limits CPU; null: node itself.</param>
    public static async Task<NodePeer> StartAsync(string apiKey, string apiSecret, Func<string, string>? launcher)
    {
        var startInfo = new ProcessStartInfo(launcher?.Invoke("node") ?? "node")
        {
            WorkingDirectory = Directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The example's .env variables; the secret through the environment, never a command line.
            Environment =
            {
                ["PORT"] = "0",
                ["VIDEOSDK_API_KEY"] = apiKey,
                ["VIDEOSDK_SECRET_KEY"] = apiSecret,
                ["NODE_ENV"] = "production",
            },
        };
        startInfo.ArgumentList.Add("server.js");
        var process = new Process { StartInfo = startInfo };
        var started = Stopwatch.GetTimestamp();
        process.Start();
        var peer = new NodePeer(process, started);
        process.OutputDataReceived += (_, e) => peer.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => peer.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(peer._listening.Task, exited).WaitAsync(StartupTimeout);
            if (first != peer._listening.Task)
            {
                throw new InvalidOperationException($"node server.js exited with code {process.ExitCode} before listening:{Environment.NewLine}{peer.Tail()}");
            }

            peer.BaseAddress = await peer._listening.Task;
            return peer;
        }
        catch (TimeoutException)
        {
            await peer.DisposeAsync();
            throw new InvalidOperationException($"node server.js did not listen within {StartupTimeout.TotalSeconds:0} s:{Environment.NewLine}{peer.Tail()}");
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    public TimeSpan TotalProcessorTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>VmHWM (Process reads it from /proc on Linux).</summary>
    public long PeakResidentBytes()
    {
        _process.Refresh();
        return _process.PeakWorkingSet64;
    }

    public string Tail() => string.Join(Environment.NewLine, _tail);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Gone already, or going: nothing left to measure.
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (!_listening.Task.IsCompleted && ListeningLine().Match(line) is { Success: true } ready)
        {
            ListeningTimestamp = Stopwatch.GetTimestamp();
            _listening.TrySetResult(new Uri(ready.Groups["url"].Value + "/"));
        }

        _tail.Enqueue(line);
        while (_tail.Count > 40 && _tail.TryDequeue(out _))
        {
        }
    }

    [GeneratedRegex(@"listening at (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
