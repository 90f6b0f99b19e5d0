using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using TokenFunction.Http;
using TokenFunction.Problems;
using TokenFunction.Secrets;

namespace TokenFunction.Functions;

/// <summary><c>GET /api/health</c> (anonymous): 200 when tokens can be signed, 503 with the reason otherwise.</summary>
public sealed class HealthFunction(ISigningCredentialsProvider credentials)
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
            return ApiResponses.ProblemAsync(request, ApiProblem.MethodNotAllowed(request.Method, HttpMethods.Get));
        }

        var health = credentials.GetHealth();
        var body = new HealthResponse(health.Ready ? "healthy" : "unhealthy", health.Source, health.LoadedAt?.UtcDateTime, health.Reason);
        return ApiResponses.JsonAsync(request, health.Ready ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable,
            body, ResponseJsonContext.Default.HealthResponse);
    }
}
