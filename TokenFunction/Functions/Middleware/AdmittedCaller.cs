using TokenFunction.Callers;

namespace TokenFunction.Functions.Middleware;

/// <summary>
/// The caller <see cref="CallerAdmissionMiddleware"/> admitted for the invocation under way, for the function
/// that runs next in it.
/// </summary>
/// <remarks>
/// The worker makes every middleware a singleton, so a per-invocation (scoped) service could reach the middleware
/// only by a look-up in the invocation's container. The value flows with the invocation instead, as ASP.NET Core's
/// <c>IHttpContextAccessor</c> does: set before the function runs, seen only by code running inside that
/// invocation, gone when it ends. Public only because function constructors take it.
/// </remarks>
public sealed class AdmittedCaller
{
    private readonly AsyncLocal<CallerIdentity?> _current = new();

    /// <summary>Who was admitted; only a function that declares <see cref="AdmitCallerAttribute"/> has one.</summary>
    internal CallerIdentity Identity => _current.Value ?? throw new InvalidOperationException(
        $"No caller was admitted for this invocation: a function that reads its caller must declare [{nameof(AdmitCallerAttribute)}].");

    internal void Admit(CallerIdentity caller) => _current.Value = caller;
}
