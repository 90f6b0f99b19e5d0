using Microsoft.IdentityModel.Protocols;
using TokenFunction.Telemetry;

namespace TokenFunction.Callers;

/// <summary>
/// Fetches the authority's discovery document and key set over https with a client from
/// <see cref="IHttpClientFactory"/>: a fresh client per fetch (fetches are rare), so the factory's handler
/// rotation keeps DNS changes visible, and the named client is where its handler and timeout are configured.
/// </summary>
internal sealed class AuthorityDocumentRetriever(IHttpClientFactory httpClients, ServiceMetrics metrics) : IDocumentRetriever
{
    public const string HttpClientName = "CallerAuth.Authority";

    public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        try
        {
            var document = await new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName)) { RequireHttps = true }
                .GetDocumentAsync(address, cancel);
            metrics.OpenIdMetadataFetched(failure: null);
            return document;
        }
        catch (Exception exception)
        {
            // The type names the failure class (IOException, HttpRequestException...); its message may quote the answer.
            metrics.OpenIdMetadataFetched((exception.InnerException ?? exception).GetType().Name);
            throw;
        }
    }
}
