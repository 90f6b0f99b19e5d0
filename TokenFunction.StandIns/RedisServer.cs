using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TokenFunction.StandIns;

/// <summary>
/// A real <c>redis-server</c> (Debian's package) on 127.0.0.1 and a free port, without persistence, in a temporary
/// folder of its own; killed on dispose. <see cref="KillAsync"/> and <see cref="RestartAsync"/> take it away and
/// bring it back on the same port, as an outage would. The load run starts one too. Installed on first use when
/// missing (<see cref="Prerequisites"/>: Debian's package through apt-get when this process may, else one line naming it).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("redis-");
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    private readonly string? _defaultUserPassword;

    private RedisServer(string executable, int port, string? defaultUserPassword)
    {
        Executable = executable;
        Port = port;
        _defaultUserPassword = defaultUserPassword;
    }

    public string Executable { get; }

    /// <summary>Loopback only: nothing off this machine reaches it.</summary>
    public string Host { get; } = "127.0.0.1";

    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for an administrator's connection (the default user).</summary>
    public string AdminConfiguration => $"{Host}:{Port},allowAdmin=true,abortConnect=false" + (_defaultUserPassword is null ? "" : $",password={_defaultUserPassword}");

    /// <param name="defaultUserPassword">
    /// Closes Redis's <c>default</c> user with this password (<c>requirepass</c>), so that a connection whose AUTH
    /// fails can do nothing, as on a managed cache; null leaves it open, as a local Redis is.
    /// </param>
    public static async Task<RedisServer> StartAsync(string? defaultUserPassword = null, CancellationToken cancellationToken = default)
    {
        var executable = await Prerequisites.Machine.EnsureDebianPackageAsync("redis-server", "redis-server").WaitAsync(cancellationToken).ConfigureAwait(false);
        // redis-server cannot take port 0 (it means "no TCP"): take a port the OS hands out, then give it to Redis.
        // Another process can grab it in between; then Redis fails to bind and the next free port is tried.
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(executable, FreeLoopbackPort(), defaultUserPassword);
            try
            {
                await server.LaunchAsync(cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>SIGKILL: connections drop at once, as when the cache's node goes away.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A fresh, empty server on the same port (no persistence: the buckets start full again).</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await KillAsync().ConfigureAwait(false);
        _process?.Dispose();
        await LaunchAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Executable)
        {
            ArgumentList =
            {
                "--bind", Host, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--save", "", "--appendonly", "no", "--dir", _directory.FullName, "--daemonize", "no", "--logfile", "",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (_defaultUserPassword is not null)
        {
            start.ArgumentList.Add("--requirepass");
            start.ArgumentList.Add(_defaultUserPassword);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            _output.Enqueue(e.Data);
            if (e.Data.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => _output.Enqueue(e.Data ?? string.Empty);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"redis-server exited: {string.Join(Environment.NewLine, _output)}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        try
        {
            await ready.Task.WaitAsync(StartTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"redis-server did not start within {StartTimeout.TotalSeconds} s: {string.Join(Environment.NewLine, _output)}");
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        _process?.Dispose();
        _directory.Refresh();
        if (_directory.Exists)
        {
            _directory.Delete(recursive: true);
        }
    }
}
