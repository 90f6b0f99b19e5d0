using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using TokenFunction.Http;
using TokenFunction.Secrets;

namespace TokenFunction.Functions;

/// <summary><c>GET /api/health</c> (anonymous): 200 when tokens can be signed, 503 with the reason otherwise.</summary>
public sealed class HealthFunction(ISigningCredentialsProvider credentials)
{
    public const string Name = "Health";

    [Function(Name)]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequestData request)
    {
        var health = credentials.GetHealth();
        var body = new HealthResponse(health.Ready ? "healthy" : "unhealthy", health.Source, health.LoadedAt?.UtcDateTime, health.Reason);
        return ApiResponses.JsonAsync(request, health.Ready ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable,
            body, ResponseJsonContext.Default.HealthResponse);
    }
}
