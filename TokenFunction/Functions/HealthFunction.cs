using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using TokenFunction.Http;
using TokenFunction.Problems;

namespace TokenFunction.Functions;

/// <summary>
/// <c>GET /api/health</c> (anonymous): 200 when tokens can be signed and callers verified, 503 with a reason code
/// otherwise. Anyone can ask, so it names no backend, failure or setting: those are in the log.
/// </summary>
public sealed class HealthFunction(HealthProbe probe, ApiResponses answers)
{
    public const string Name = "Health";

    // No method list on the trigger, as on the other endpoints: other methods get a 405 problem with Allow
    // instead of the platform's bare 404.
    [Function(Name)]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Route = "health")] HttpRequestData request)
    {
        if (!HttpMethods.Is(request, HttpMethods.Get))
        {
            return answers.ProblemAsync(request, ApiProblem.MethodNotAllowed(request.Method, HttpMethods.Get));
        }

        var health = probe.Check();
        return answers.JsonAsync(request, health.IsHealthy ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable,
            health, ResponseJsonContext.Default.HealthResponse);
    }
}
