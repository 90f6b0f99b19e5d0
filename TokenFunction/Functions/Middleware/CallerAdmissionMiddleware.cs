using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Azure.Functions.Worker.Middleware;
using TokenFunction.Callers;
using TokenFunction.Http;

namespace TokenFunction.Functions.Middleware;

/// <summary>
/// Admits the caller of the caller-facing functions through <see cref="CallerGate"/> (who is asking, and whether
/// they may ask now) before the function runs; a refused caller gets the gate's problem and the function never runs.
/// </summary>
internal sealed class CallerAdmissionMiddleware(CallerGate gate) : IFunctionsWorkerMiddleware
{
    private static readonly object CallerKey = new();

    /// <summary>The functions that serve callers; health stays open to the platform's probes.</summary>
    public static bool Applies(string functionName) =>
        functionName is IssueTokenFunction.Name or RoomsFunction.CreateName or RoomsFunction.ValidateName;

    public static bool Applies(FunctionContext context) => Applies(context.FunctionDefinition.Name);

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var request = await context.GetHttpRequestDataAsync()
                      ?? throw new InvalidOperationException($"{context.FunctionDefinition.Name} is not an HTTP function.");
        var refusal = await RefuseAsync(request, context.CancellationToken);
        if (refusal is not null)
        {
            context.GetInvocationResult().Value = refusal;
            return;
        }

        await next(context);
    }

    /// <summary>The same step for a request already read: what <see cref="Invoke"/> runs, and what tests run around a function.</summary>
    public async Task<HttpResponseData> RunAsync(HttpRequestData request, Func<Task<HttpResponseData>> next, CancellationToken cancellationToken) =>
        await RefuseAsync(request, cancellationToken) ?? await next();

    /// <summary>The admitted caller of this invocation.</summary>
    public static CallerIdentity CallerOf(HttpRequestData request) =>
        request.FunctionContext.Items.TryGetValue(CallerKey, out var caller) && caller is CallerIdentity identity
            ? identity
            : throw new InvalidOperationException($"No admitted caller: {nameof(CallerAdmissionMiddleware)} does not apply to {request.FunctionContext.FunctionDefinition?.Name}.");

    private async Task<HttpResponseData?> RefuseAsync(HttpRequestData request, CancellationToken cancellationToken)
    {
        var caller = await gate.AdmitAsync(request, cancellationToken);
        if (!caller.Succeeded)
        {
            return await ApiResponses.ProblemAsync(request, caller.Problem);
        }

        request.FunctionContext.Items[CallerKey] = caller.Value;
        return null;
    }
}
