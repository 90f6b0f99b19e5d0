using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using TokenFunction.Http;

namespace TokenFunction.Functions;

/// <summary>
/// <c>GET /api/health</c> (anonymous): 200 when tokens can be signed and callers verified, 503 with a reason code
/// otherwise. Anyone can ask, so it names no backend, failure or setting: those are in the log.
/// </summary>
public sealed class HealthFunction(HealthProbe probe)
{
    public const string Name = "Health";

    [Function(Name)]
    public Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequestData request)
    {
        var health = probe.Check();
        return ApiResponses.JsonAsync(request, health.IsHealthy ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable,
            health, ResponseJsonContext.Default.HealthResponse);
    }
}
