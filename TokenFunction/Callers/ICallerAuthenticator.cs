using Microsoft.Azure.Functions.Worker.Http;
using TokenFunction.Problems;

namespace TokenFunction.Callers;

/// <summary>Decides who a request comes from, or refuses it (401, or 503 when the identity provider cannot be read).</summary>
internal interface ICallerAuthenticator
{
    ValueTask<Outcome<CallerIdentity>> AuthenticateAsync(HttpHeadersCollection headers, string? clientAddress, CancellationToken cancellationToken);

    /// <summary>
    /// Reads what authenticating needs from elsewhere (the identity provider's metadata and keys) before the first
    /// caller needs it; a failure is left to the first caller's own read.
    /// </summary>
    ValueTask PrepareAsync(CancellationToken cancellationToken);

    /// <summary>True while the identity provider could not be read at the last attempt; from memory, never fetching.</summary>
    bool AuthorityUnavailable { get; }
}
