using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace TokenFunction.FloorApp;

/// <summary>Answers every POST with a short, constant JSON body and does nothing else: the work every isolated-worker app pays.</summary>
public static class PingFunction
{
    [Function("Ping")]
    public static async Task<HttpResponseData> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ping")] HttpRequestData request)
    {
        var response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await response.WriteStringAsync("{\"status\":\"pong\"}").ConfigureAwait(false);
        return response;
    }
}
