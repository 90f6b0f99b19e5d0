using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using TokenFunction.StandIns.FunctionsHost.Rpc;

namespace TokenFunction.StandIns.FunctionsHost;

/// <summary>
/// A stand-in for the Azure Functions host that runs the real, built worker as a child process and
/// serves HTTP requests through it: routes by the worker's own metadata, checks function keys,
/// invokes over gRPC, and returns the function's HTTP response. One instance, one worker. Reached
/// in-process (<see cref="CreateClient"/>) or over real HTTP/1.1 on loopback (<see cref="BaseAddress"/>).
/// </summary>
public sealed class FunctionsHost : IAsyncDisposable
{
    private static readonly Uri PublicBaseAddress = new("http://localhost/");

    private readonly FunctionsHostOptions _options;
    private HostRpcServer? _rpcServer;
    private HttpFront? _front;
    private WorkerProcess? _worker;
    private WorkerConnection? _connection;

    private FunctionsHost(FunctionsHostOptions options) => _options = options;

    /// <summary>Everything the worker logged: RpcLog messages, its console output, failed invocations.</summary>
    public WorkerLogSink Log { get; } = new();

    public HostKeys Keys => _options.Keys;

    public IReadOnlyList<HttpFunction> HttpFunctions { get; private set; } = [];

    public WorkerProcess Worker => _worker ?? throw new InvalidOperationException("Not started.");

    /// <summary>Stopwatch timestamp at which the worker opened its gRPC stream (cold-start breakdown).</summary>
    public long ConnectedTimestamp { get; private set; }

    /// <summary>Stopwatch timestamp at which the worker had loaded every function.</summary>
    public long LoadedTimestamp { get; private set; }

    /// <summary>Where the HTTP front listens (http://127.0.0.1:{port}/), for callers outside this process.</summary>
    public Uri BaseAddress => _front?.BaseAddress ?? throw new InvalidOperationException("Not started.");

    public static async Task<FunctionsHost> StartAsync(FunctionsHostOptions options, CancellationToken cancellationToken = default)
    {
        var host = new FunctionsHost(options);
        try
        {
            await host.StartCoreAsync(cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>An HttpClient whose requests go through this host (base address http://localhost/).</summary>
    public HttpClient CreateClient() => new(new FunctionsHostHttpHandler(this)) { BaseAddress = PublicBaseAddress };

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        var connection = _connection ?? throw new InvalidOperationException("Not started.");
        var url = request.RequestUri is { IsAbsoluteUri: true } absolute ? absolute : new Uri(PublicBaseAddress, request.RequestUri!);
        var method = request.Method.Method.ToUpperInvariant();

        // As the host's router: a route whose methods exclude this one does not match (404, not 405).
        Dictionary<string, string> routeValues = [];
        var function = HttpFunctions.FirstOrDefault(f => f.AllowsMethod(method) && f.Route.TryMatch(url.AbsolutePath, out routeValues));
        if (function is null)
        {
            return RpcHttpMapping.EmptyResponse(HttpStatusCode.NotFound);
        }

        if (!Keys.Authorizes(function.AuthLevel, PresentedKey(request, url)))
        {
            return RpcHttpMapping.EmptyResponse(HttpStatusCode.Unauthorized);
        }

        var invocation = new InvocationRequest
        {
            InvocationId = Guid.NewGuid().ToString(),
            FunctionId = function.FunctionId,
            TraceContext = new RpcTraceContext { TraceParent = NewTraceParent() },
        };
        invocation.InputData.Add(new ParameterBinding
        {
            Name = function.TriggerBindingName,
            Data = new TypedData { Http = await RpcHttpMapping.ToRpcHttpAsync(request, url, routeValues, cancellationToken).ConfigureAwait(false) },
        });
        foreach (var (name, value) in routeValues)
        {
            invocation.TriggerMetadata[name] = new TypedData { String = value };
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.InvocationTimeout);
        var message = new StreamingMessage { RequestId = Guid.NewGuid().ToString(), InvocationRequest = invocation };
        var reply = await connection.RequestAsync(message, WorkerConnection.ReplyKey(message), timeout.Token).ConfigureAwait(false);

        var response = reply.InvocationResponse;
        if (response.Result?.Status != StatusResult.Types.Status.Success)
        {
            Log.Add(new WorkerLogEntry(WorkerLogSource.InvocationFailure, "Error", function.Name,
                $"Invocation {invocation.InvocationId} failed", response.Result?.Exception is { } ex ? ex.Message + Environment.NewLine + ex.StackTrace : null));
        }

        var httpResponse = RpcHttpMapping.ToResponse(response);
        httpResponse.RequestMessage = request;
        return httpResponse;
    }

    public async ValueTask DisposeAsync()
    {
        if (_front is not null)
        {
            await _front.DisposeAsync().ConfigureAwait(false);
        }

        if (_worker is not null)
        {
            // Ask first, like the host; a worker that does not leave in time is killed with its children.
            if (_connection is not null && !_connection.Closed.IsCompleted)
            {
                _connection.TrySend(new StreamingMessage
                {
                    WorkerTerminate = new WorkerTerminate { GracePeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) },
                });
                await _worker.WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }

            _worker.Dispose();
        }

        if (_rpcServer is not null)
        {
            await _rpcServer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var app = _options.App ?? FunctionAppBuildOutput.FromAssemblyMetadata();
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startup.CancelAfter(_options.StartupTimeout);

        _rpcServer = await HostRpcServer.StartAsync(Log, startup.Token).ConfigureAwait(false);
        var launch = WorkerLaunch.For(app, _rpcServer.Uri, _options.AppSettings);
        _worker = WorkerProcess.Start(launch.Executable, launch.Arguments, launch.WorkingDirectory, launch.Environment, Log);

        try
        {
            // A worker that dies before connecting or mid-handshake must fail the start at once, not at the timeout.
            var connecting = _rpcServer.WaitForWorkerAsync(launch.WorkerId);
            await Task.WhenAny(connecting, _worker.Exited).WaitAsync(startup.Token).ConfigureAwait(false);
            if (!connecting.IsCompleted)
            {
                throw new WorkerDisconnectedException();
            }

            _connection = await connecting.ConfigureAwait(false);
            ConnectedTimestamp = Stopwatch.GetTimestamp();
            var handshake = WorkerHandshake.RunAsync(_connection, app, startup.Token);
            await Task.WhenAny(handshake, _worker.Exited, _connection.Closed).ConfigureAwait(false);
            if (!handshake.IsCompleted)
            {
                throw new WorkerDisconnectedException();
            }

            var routePrefix = app.ReadRoutePrefix();
            HttpFunctions = (await handshake.ConfigureAwait(false))
                .Select(f => HttpFunction.FromMetadata(f, routePrefix))
                .OfType<HttpFunction>()
                .ToList();
            LoadedTimestamp = Stopwatch.GetTimestamp();

            // Open to callers only once every function is loaded, as the real host does.
            _front = await HttpFront.StartAsync(SendAsync, _options.HttpPort, startup.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WorkerDisconnectedException or InvalidOperationException)
        {
            throw new InvalidOperationException(StartupFailure(ex), ex);
        }
    }

    private string StartupFailure(Exception ex)
    {
        var reason = ex switch
        {
            _ when _worker!.Exited.IsCompleted => $"the worker exited with code {_worker.ExitCode}",
            OperationCanceledException when _connection is null => $"the worker did not connect within {_options.StartupTimeout.TotalSeconds:0} s",
            OperationCanceledException => $"the handshake did not finish within {_options.StartupTimeout.TotalSeconds:0} s",
            WorkerDisconnectedException => "the worker closed its stream during start-up",
            _ => ex.Message,
        };
        return $"The Functions host stand-in could not start the worker: {reason}.{Environment.NewLine}" +
               $"Worker output (last lines):{Environment.NewLine}{Log.Tail()}";
    }

    // A W3C traceparent, as the host takes from its request Activity.
    private static string NewTraceParent() =>
        $"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";

    private static string? PresentedKey(HttpRequestMessage request, Uri url)
    {
        if (request.Headers.TryGetValues(HostKeys.HeaderName, out var values))
        {
            return values.FirstOrDefault();
        }

        return QueryHelpers.ParseQuery(url.Query).TryGetValue(HostKeys.QueryName, out var code) ? code.ToString() : null;
    }
}

/// <summary>Lets an HttpClient talk to the worker through <see cref="FunctionsHost"/>.</summary>
public sealed class FunctionsHostHttpHandler(FunctionsHost host) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        host.SendAsync(request, cancellationToken);
}
