using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using TokenFunction.Callers;
using TokenFunction.Http;

namespace TokenFunction.Functions.Middleware;

/// <summary>
/// Admits the caller of a function that declares <see cref="AdmitCallerAttribute"/> through <see cref="CallerGate"/>
/// (who is asking, and whether they may ask now) before it runs; a refused caller gets the gate's problem and the
/// function never runs. An admitted one reaches the function as <see cref="AdmittedCaller"/>.
/// </summary>
internal sealed class CallerAdmissionMiddleware(CallerGate gate, AdmittedCaller admitted, ApiResponses answers) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var request = await context.GetHttpRequestDataAsync()
                      ?? throw new InvalidOperationException($"{context.FunctionDefinition.Name} declares caller admission but is not an HTTP function.");
        var caller = await gate.AdmitAsync(request, context.CancellationToken);
        if (!caller.Succeeded)
        {
            context.GetInvocationResult().Value = await answers.ProblemAsync(request, caller.Problem);
            return;
        }

        admitted.Admit(caller.Value);
        await next(context);
    }
}
