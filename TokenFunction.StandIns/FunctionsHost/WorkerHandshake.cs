using TokenFunction.StandIns.FunctionsHost.Rpc;

namespace TokenFunction.StandIns.FunctionsHost;

/// <summary>
/// What the host does once a worker has said StartStream: initialise it, ask for its function
/// metadata (worker indexing: worker.config.json says workerIndexing), and load each function.
/// </summary>
internal static class WorkerHandshake
{
    public const string HostVersion = "4.1000.0-standin";

    public static async Task<IReadOnlyList<RpcFunctionMetadata>> RunAsync(WorkerConnection worker, FunctionAppBuildOutput app,
        CancellationToken cancellationToken)
    {
        var init = await worker.RequestAsync(new StreamingMessage
        {
            RequestId = Guid.NewGuid().ToString(),
            WorkerInitRequest = new WorkerInitRequest
            {
                HostVersion = HostVersion,
                WorkerDirectory = app.Directory,
                FunctionAppDirectory = app.Directory,
            },
        }, "init", cancellationToken).ConfigureAwait(false);
        EnsureSuccess(init.WorkerInitResponse.Result, "WorkerInitRequest");

        var metadata = (await worker.RequestAsync(new StreamingMessage
        {
            RequestId = Guid.NewGuid().ToString(),
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = app.Directory },
        }, "metadata", cancellationToken).ConfigureAwait(false)).FunctionMetadataResponse;
        EnsureSuccess(metadata.Result, "FunctionsMetadataRequest");
        if (metadata.UseDefaultMetadataIndexing)
        {
            throw new InvalidOperationException("The worker asked for host-side indexing (functions.metadata), which this stand-in does not do.");
        }

        var functions = metadata.FunctionMetadataResults.ToList();
        await Task.WhenAll(functions.Select(f => LoadAsync(worker, f, cancellationToken))).ConfigureAwait(false);
        return functions;
    }

    private static async Task LoadAsync(WorkerConnection worker, RpcFunctionMetadata function, CancellationToken cancellationToken)
    {
        var metadata = function.Clone();
        // The host turns raw binding JSON into BindingInfo before loading; the worker builds its binding
        // table (and finds the trigger parameter) from these.
        if (metadata.Bindings.Count == 0)
        {
            foreach (var rawBinding in metadata.RawBindings)
            {
                var (name, binding) = RawBinding.ToBindingInfo(rawBinding);
                metadata.Bindings[name] = binding;
            }
        }

        var reply = await worker.RequestAsync(new StreamingMessage
        {
            RequestId = Guid.NewGuid().ToString(),
            FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = metadata },
        }, "load:" + function.FunctionId, cancellationToken).ConfigureAwait(false);
        EnsureSuccess(reply.FunctionLoadResponse.Result, $"FunctionLoadRequest({function.Name})");
    }

    private static void EnsureSuccess(StatusResult? result, string step)
    {
        if (result?.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"{step} failed: {result?.Exception?.Message ?? result?.Result ?? "no status"}");
        }
    }
}
