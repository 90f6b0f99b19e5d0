using System.Diagnostics;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>
/// The stand-in's own promises when a worker misbehaves: a start-up failure is reported quickly with
/// the worker's own words, and no process is left behind.
/// </summary>
public sealed class FunctionsHostStartupTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fake-worker-").FullName;

    [Fact]
    public async Task WorkerExitingAtStartupFailsTheStartAtOnceWithItsStderr()
    {
        var options = new FunctionsHostOptions { App = FakeWorker("echo 'Unhandled exception: missing setting Foo' >&2; exit 3") };

        var stopwatch = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => FunctionsHost.StartAsync(options));

        Assert.Contains("exited with code 3", failure.Message, StringComparison.Ordinal);
        Assert.Contains("missing setting Foo", failure.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task WorkerNeverConnectingFailsAtTheTimeoutAndIsKilled()
    {
        var pidFile = Path.Combine(_directory, "pid");
        var options = new FunctionsHostOptions
        {
            App = FakeWorker($"echo $$ > {pidFile}; echo 'still warming up'; exec sleep 60"),
            StartupTimeout = TimeSpan.FromSeconds(2),
        };

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => FunctionsHost.StartAsync(options));

        Assert.Contains("did not connect within 2 s", failure.Message, StringComparison.Ordinal);
        Assert.Contains("still warming up", failure.Message, StringComparison.Ordinal);
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"worker process {pid} is still running");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A "worker" that is a shell script, started the way the host starts the real one.</summary>
    private FunctionAppBuildOutput FakeWorker(string script)
    {
        var path = Path.Combine(_directory, "worker.sh");
        File.WriteAllText(path, "#!/bin/sh\n" + script + "\n");
        return new FunctionAppBuildOutput(_directory, "/bin/sh", path);
    }
}
