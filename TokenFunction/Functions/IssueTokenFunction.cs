using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using TokenFunction.Functions.Middleware;
using TokenFunction.Http;
using TokenFunction.Tokens;

namespace TokenFunction.Functions;

/// <summary><c>GET|POST /api/token</c>: a short-lived VideoSDK token for the caller.</summary>
public sealed class IssueTokenFunction(TokenIssuer issuer, AdmittedCaller caller, ApiResponses answers)
{
    public const string Name = "Token";

    // Anonymous at the platform: the app authenticates callers itself (CallerAdmissionMiddleware), with bearer
    // tokens when CallerAuth:Authority is set. A function key cannot be that gate: the level is fixed at
    // compile time, only the host can check keys, and a key shipped inside client apps identifies nobody.
    // Without an authority the app refuses to start in Azure unless CallerAuth:AllowAnonymous=true.
    // No method list on the trigger: any other method reaches the function and gets a 405 problem
    // with an Allow header, instead of the platform's bare 404.
    [Function(Name)]
    [AdmitCaller]
    public async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, Route = "token")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var parsed = await TokenRequestReader.ReadAsync(request, cancellationToken);
        if (!parsed.Succeeded)
        {
            return await answers.ProblemAsync(request, parsed.Problem);
        }

        var issued = await issuer.IssueAsync(parsed.Value, caller.Identity, cancellationToken);
        if (!issued.Succeeded)
        {
            return await answers.ProblemAsync(request, issued.Problem);
        }

        return await answers.JsonAsync(request, HttpStatusCode.OK, TokenResponse.From(issued.Value), ResponseJsonContext.Default.TokenResponse);
    }
}
