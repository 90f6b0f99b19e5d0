using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using TokenFunction.StandIns.FunctionsHost.Rpc;

namespace TokenFunction.StandIns.FunctionsHost;

/// <summary>
/// One worker's EventStream, seen from the host: requests go out through a single writer (a gRPC
/// stream allows one write at a time), replies are matched to the request that awaits them, and
/// RpcLog messages go to the log sink.
/// </summary>
internal sealed class WorkerConnection
{
    private readonly IAsyncStreamReader<StreamingMessage> _fromWorker;
    private readonly IServerStreamWriter<StreamingMessage> _toWorker;
    private readonly WorkerLogSink _log;
    private readonly Channel<StreamingMessage> _outbox = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _awaitingReply = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WorkerConnection(string workerId, IAsyncStreamReader<StreamingMessage> fromWorker,
        IServerStreamWriter<StreamingMessage> toWorker, WorkerLogSink log)
    {
        WorkerId = workerId;
        _fromWorker = fromWorker;
        _toWorker = toWorker;
        _log = log;
    }

    public string WorkerId { get; }

    /// <summary>Completes when the stream has ended (the worker went away or the host closed it).</summary>
    public Task Closed => _closed.Task;

    /// <summary>Sends a request and waits for the reply that <see cref="ReplyKey"/> pairs with it.</summary>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage request, string replyKey, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_awaitingReply.TryAdd(replyKey, reply))
        {
            throw new InvalidOperationException($"A request awaiting '{replyKey}' is already outstanding.");
        }

        try
        {
            if (_closed.Task.IsCompleted)
            {
                throw new WorkerDisconnectedException();
            }

            await _outbox.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            return await reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _awaitingReply.TryRemove(replyKey, out _);
        }
    }

    /// <summary>Sends a message that has no reply (WorkerTerminate).</summary>
    public bool TrySend(StreamingMessage message) => _outbox.Writer.TryWrite(message);

    /// <summary>Pumps both directions until the worker hangs up or <paramref name="stopping"/> fires.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var writing = WriteLoopAsync(linked.Token);
        var reading = ReadLoopAsync(linked.Token);
        try
        {
            await Task.WhenAny(writing, reading).ConfigureAwait(false);
        }
        finally
        {
            await linked.CancelAsync().ConfigureAwait(false);
            _outbox.Writer.TryComplete();
            _closed.TrySetResult();
            foreach (var pending in _awaitingReply.Values)
            {
                pending.TrySetException(new WorkerDisconnectedException());
            }
        }
    }

    /// <summary>Pairs a reply with its request: invocations by id, loads by function id, the rest by kind (one at a time).</summary>
    public static string ReplyKey(StreamingMessage message) => message.ContentCase switch
    {
        StreamingMessage.ContentOneofCase.InvocationRequest => "invocation:" + message.InvocationRequest.InvocationId,
        StreamingMessage.ContentOneofCase.InvocationResponse => "invocation:" + message.InvocationResponse.InvocationId,
        StreamingMessage.ContentOneofCase.FunctionLoadRequest => "load:" + message.FunctionLoadRequest.FunctionId,
        StreamingMessage.ContentOneofCase.FunctionLoadResponse => "load:" + message.FunctionLoadResponse.FunctionId,
        StreamingMessage.ContentOneofCase.WorkerInitRequest or StreamingMessage.ContentOneofCase.WorkerInitResponse => "init",
        StreamingMessage.ContentOneofCase.FunctionsMetadataRequest or StreamingMessage.ContentOneofCase.FunctionMetadataResponse => "metadata",
        _ => "unpaired:" + message.ContentCase,
    };

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outbox.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await _toWorker.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The stream is gone; RunAsync fails whatever still waits.
        }
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _fromWorker.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                Dispatch(_fromWorker.Current);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or Grpc.Core.RpcException)
        {
            // The worker hung up or we are stopping.
        }
    }

    private void Dispatch(StreamingMessage message)
    {
        if (message.ContentCase == StreamingMessage.ContentOneofCase.RpcLog)
        {
            var log = message.RpcLog;
            _log.Add(new WorkerLogEntry(WorkerLogSource.Rpc, log.Level.ToString(), log.Category, log.Message, log.Exception?.Message));
            return;
        }

        if (_awaitingReply.TryGetValue(ReplyKey(message), out var waiting))
        {
            waiting.TrySetResult(message);
        }
    }
}

public sealed class WorkerDisconnectedException() : Exception("The worker closed its gRPC stream (it exited or crashed).");
