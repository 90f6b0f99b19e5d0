using Microsoft.Azure.Functions.Worker.Http;
using TokenFunction.Problems;

namespace TokenFunction.Callers;

/// <summary>Decides who a request comes from, or refuses it (401, or 503 when the identity provider cannot be read).</summary>
internal interface ICallerAuthenticator
{
    ValueTask<Outcome<CallerIdentity>> AuthenticateAsync(HttpHeadersCollection headers, string? clientAddress, CancellationToken cancellationToken);
}
