using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace TokenFunction.StandIns;

/// <summary>
/// A real OTLP receiver on loopback: the .NET Aspire dashboard from NuGet (Aspire.Dashboard.Sdk.linux-x64, a native
/// program the caller downloads, e.g. with a PackageDownload), which takes OTLP over gRPC and HTTP and answers queries
/// on its telemetry API. Its API serves spans and logs in OTLP JSON, and for metrics only whether a resource sent any.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _api;

    private OtlpReceiver(Process process, Uri api, Uri otlpGrpc)
    {
        _process = process;
        _api = new HttpClient { BaseAddress = api };
        OtlpGrpcEndpoint = otlpGrpc;
    }

    /// <summary>For <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (the exporter's default protocol, gRPC).</summary>
    public Uri OtlpGrpcEndpoint { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="dashboardPath">The dashboard program: <c>tools/Aspire.Dashboard</c> in the package's folder.</param>
    public static async Task<OtlpReceiver> StartAsync(string dashboardPath)
    {
        var (api, grpc, http) = (FreeLoopbackUri(), FreeLoopbackUri(), FreeLoopbackUri());
        var executable = Executable(dashboardPath);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(executable)!,
            Environment =
            {
                ["ASPNETCORE_URLS"] = api.ToString(),
                ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = grpc.ToString(),
                ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = http.ToString(),
                ["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true",
                ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
                ["DOTNET_ENVIRONMENT"] = "Production",
            },
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("The Aspire dashboard did not start.");
        var receiver = new OtlpReceiver(process, api, grpc);
        process.OutputDataReceived += (_, e) => receiver.Append(e.Data);
        process.ErrorDataReceived += (_, e) => receiver.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The Aspire dashboard exited with {process.ExitCode}:\n{receiver.Output}");
            }

            try
            {
                using var response = await receiver._api.GetAsync("api/telemetry/resources");
                if (response.IsSuccessStatusCode)
                {
                    return receiver;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > StartupTimeout)
            {
                await receiver.DisposeAsync();
                throw new TimeoutException($"The Aspire dashboard did not answer within {StartupTimeout}:\n{receiver.Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Every span received, as OTLP JSON (<c>resourceSpans</c>).</summary>
    public Task<JsonElement> SpansAsync() => GetDataAsync("api/telemetry/spans");

    /// <summary>Every log record received, as OTLP JSON (<c>resourceLogs</c>).</summary>
    public Task<JsonElement> LogsAsync() => GetDataAsync("api/telemetry/logs");

    /// <summary>The senders (by service name), each with whether it sent logs, traces, metrics.</summary>
    public async Task<JsonElement> ResourcesAsync() =>
        JsonDocument.Parse(await _api.GetStringAsync("api/telemetry/resources")).RootElement.Clone();

    /// <summary>Asks until <paramref name="found"/> holds or the time is up; returns the last answer either way.</summary>
    public static async Task<JsonElement> PollAsync(Func<Task<JsonElement>> query, Func<JsonElement, bool> found, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var answer = await query();
        while (!found(answer) && clock.Elapsed < timeout)
        {
            await Task.Delay(200);
            answer = await query();
        }

        return answer;
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task<JsonElement> GetDataAsync(string path)
    {
        using var document = JsonDocument.Parse(await _api.GetStringAsync(path));
        return document.RootElement.GetProperty("data").Clone();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string Executable(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The Aspire dashboard is missing: {path}. A restore of the project that downloads Aspire.Dashboard.Sdk.linux-x64 brings it.");
        }

        // NuGet extracts files without their execute bit.
        if (OperatingSystem.IsLinux() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return path;
    }

    private static Uri FreeLoopbackUri()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
    }
}
