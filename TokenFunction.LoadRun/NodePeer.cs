using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

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

    /// <summary>
    /// Null when <paramref name="body"/> holds the token the example signs for a caller naming a room: HS256 with the
    /// secret's UTF-8 bytes (jsonwebtoken's string secret), the project's key, join and moderate, version 2, the
    /// meeting role, that room, ten minutes; else what differs. Checked on every run's first token, so a change to
    /// server.js or to a library's behaviour cannot quietly measure another server.
    /// </summary>
    public static async Task<string?> DescribeUnfaithfulTokenAsync(string body, string apiKey, string apiSecret, string roomId)
    {
        var token = JsonDocument.Parse(body).RootElement.GetProperty("token").GetString();
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(apiSecret)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            RequireExpirationTime = true,
        });
        if (!validation.IsValid)
        {
            return $"its token does not verify with the API secret as HS256: {validation.Exception?.Message}";
        }

        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(((JsonWebToken)validation.SecurityToken).EncodedPayload));
        var claims = payload.RootElement;
        string Claim(string name) => claims.TryGetProperty(name, out var value) ? value.GetRawText() : "(none)";
        var expected = new Dictionary<string, string>
        {
            ["apikey"] = JsonSerializer.Serialize(apiKey),
            ["permissions"] = """["allow_join","allow_mod"]""",
            ["version"] = "2",
            ["roles"] = """["rtc"]""",
            ["roomId"] = JsonSerializer.Serialize(roomId),
        };
        var lifetime = claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64();
        var differences = expected.Where(claim => Claim(claim.Key) != claim.Value)
            .Select(claim => $"{claim.Key} {Claim(claim.Key)}, expected {claim.Value}")
            .Concat(lifetime == 600 ? [] : [$"lifetime {lifetime} s, expected 600"])
            .ToList();
        return differences.Count == 0 ? null : "its token differs from the example's: " + string.Join("; ", differences);
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
