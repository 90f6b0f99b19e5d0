namespace TokenFunction.Functions.Middleware;

/// <summary>
/// Declares a function caller-facing: <see cref="CallerAdmissionMiddleware"/> admits its caller (bearer validation,
/// rate limit) before it runs, and the function reads who was admitted from <see cref="AdmittedCaller"/>. A
/// function without it (health) stays open to the platform's probes.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
internal sealed class AdmitCallerAttribute : Attribute;
