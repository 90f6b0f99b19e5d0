using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Hosting;
using TokenFunction.Functions.Middleware;

namespace TokenFunction;

internal static class MiddlewareExtensions
{
    /// <summary>
    /// Every HTTP invocation's way in, outermost first: the catch-all for unexpected failures, then caller
    /// admission for the caller-facing functions. Tests run the same two steps in this order (TestApp.InvokeAsync).
    /// </summary>
    public static IFunctionsWorkerApplicationBuilder UseTokenFunctionMiddleware(this IFunctionsWorkerApplicationBuilder builder)
    {
        builder.UseMiddleware<ExceptionHandlingMiddleware>();
        builder.UseWhen<CallerAdmissionMiddleware>(CallerAdmissionMiddleware.Applies);
        return builder;
    }
}
