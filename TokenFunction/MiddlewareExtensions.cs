using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TokenFunction.Functions.Middleware;

namespace TokenFunction;

internal static class MiddlewareExtensions
{
    /// <summary>
    /// Every HTTP invocation's way in, outermost first: the catch-all for unexpected failures, then caller admission
    /// for the functions that declare <see cref="AdmitCallerAttribute"/>. The only place the order is written:
    /// <see cref="Program"/> applies it to the worker, and the in-process tests apply it to a builder that records it.
    /// </summary>
    public static IFunctionsWorkerApplicationBuilder UseTokenFunctionMiddleware(this IFunctionsWorkerApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AdmittedCaller>();
        builder.UseMiddleware<ExceptionHandlingMiddleware>();
        builder.UseWhen<CallerAdmissionMiddleware>(new AdmissionDeclarations().Declared);
        return builder;
    }
}
