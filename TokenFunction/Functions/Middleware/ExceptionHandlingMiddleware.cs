using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using TokenFunction.Http;
using TokenFunction.Problems;

namespace TokenFunction.Functions.Middleware;

/// <summary>
/// The outermost step of every HTTP invocation: an exception nobody expected becomes a 500 problem with the
/// invocation's traceId and one Error log line with the exception, instead of the host's bare 500. The answer
/// never carries the exception's text, which could hold anything.
/// </summary>
internal sealed partial class ExceptionHandlingMiddleware(ApiResponses answers, ILogger<ExceptionHandlingMiddleware> logger) : IFunctionsWorkerMiddleware
{
    private static readonly ApiProblem Failure = new(ErrorCodes.InternalError,
        "The service failed unexpectedly; the failure is logged under this traceId. Retry later, and report the traceId if it persists.");

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception)
        {
            if (await context.GetHttpRequestDataAsync() is not { } request)
            {
                throw;
            }

            context.GetInvocationResult().Value = await AnswerAsync(request, context.FunctionDefinition.Name, exception);
        }
    }

    private Task<HttpResponseData> AnswerAsync(HttpRequestData request, string functionName, Exception exception)
    {
        LogUnexpected(exception, functionName, request.FunctionContext.InvocationId);
        return answers.ProblemAsync(request, Failure);
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Error, Message = "Function {FunctionName} failed unexpectedly; answered 500 internal_error, traceId {TraceId}")]
    private partial void LogUnexpected(Exception exception, string functionName, string traceId);
}
