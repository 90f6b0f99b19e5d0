using Microsoft.IdentityModel.Protocols;

namespace TokenFunction.Callers;

/// <summary>
/// Fetches the authority's discovery document and key set over https with a client from
/// <see cref="IHttpClientFactory"/>: a fresh client per fetch (fetches are rare), so the factory's handler
/// rotation keeps DNS changes visible, and the named client is where its handler and timeout are configured.
/// </summary>
internal sealed class AuthorityDocumentRetriever(IHttpClientFactory httpClients) : IDocumentRetriever
{
    public const string HttpClientName = "CallerAuth.Authority";

    public Task<string> GetDocumentAsync(string address, CancellationToken cancel) =>
        new HttpDocumentRetriever(httpClients.CreateClient(HttpClientName)) { RequireHttps = true }
            .GetDocumentAsync(address, cancel);
}
