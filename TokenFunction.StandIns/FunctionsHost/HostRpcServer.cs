using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TokenFunction.StandIns.FunctionsHost.Rpc;

namespace TokenFunction.StandIns.FunctionsHost;

/// <summary>
/// The gRPC endpoint the worker dials: Kestrel on 127.0.0.1, a free port, HTTP/2 without TLS (the
/// worker connects in cleartext, as it does to the real host).
/// </summary>
internal sealed class HostRpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly WorkerConnectionBroker _broker;

    private HostRpcServer(WebApplication app, WorkerConnectionBroker broker, Uri uri)
    {
        _app = app;
        _broker = broker;
        Uri = uri;
    }

    public Uri Uri { get; }

    public static async Task<HostRpcServer> StartAsync(WorkerLogSink log, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(grpc =>
        {
            // The real host passes int.MaxValue as --functions-grpc-max-message-length; match it both ways.
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
        });
        var broker = new WorkerConnectionBroker(log);
        builder.Services.AddSingleton(broker);

        var app = builder.Build();
        app.MapGrpcService<HostRpcService>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new HostRpcServer(app, broker, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    public Task<WorkerConnection> WaitForWorkerAsync(string workerId) => _broker.WaitFor(workerId);

    public async ValueTask DisposeAsync()
    {
        _broker.StopAll();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _broker.Dispose();
    }
}

/// <summary>Hands each worker's stream, once it has said StartStream, to whoever waits for that worker id.</summary>
internal sealed class WorkerConnectionBroker(WorkerLogSink log) : IDisposable
{
    private readonly Dictionary<string, TaskCompletionSource<WorkerConnection>> _waiting = new();
    private readonly CancellationTokenSource _stopping = new();

    public WorkerLogSink Log => log;

    public CancellationToken Stopping => _stopping.Token;

    public Task<WorkerConnection> WaitFor(string workerId)
    {
        lock (_waiting)
        {
            return Slot(workerId).Task;
        }
    }

    public void Accept(WorkerConnection connection)
    {
        lock (_waiting)
        {
            Slot(connection.WorkerId).TrySetResult(connection);
        }
    }

    public void StopAll() => _stopping.Cancel();

    public void Dispose() => _stopping.Dispose();

    private TaskCompletionSource<WorkerConnection> Slot(string workerId)
    {
        if (!_waiting.TryGetValue(workerId, out var slot))
        {
            slot = new TaskCompletionSource<WorkerConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting[workerId] = slot;
        }

        return slot;
    }
}

/// <summary>FunctionRpc.EventStream: the worker opens it and says StartStream first, as with the real host.</summary>
internal sealed class HostRpcService(WorkerConnectionBroker broker) : Rpc.FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream,
        IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (requestStream.Current.ContentCase != StreamingMessage.ContentOneofCase.StartStream)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.FailedPrecondition,
                $"Expected StartStream first, got {requestStream.Current.ContentCase}."));
        }

        var connection = new WorkerConnection(requestStream.Current.StartStream.WorkerId, requestStream, responseStream, broker.Log);
        broker.Accept(connection);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, broker.Stopping);
        await connection.RunAsync(stopping.Token).ConfigureAwait(false);
    }
}
