using Microsoft.Azure.Functions.Worker.Http;
using TokenFunction.Problems;

namespace TokenFunction.Callers;

/// <summary>Anonymous mode (no authority configured): every caller is anonymous, told apart only by address.</summary>
internal sealed class AnonymousCallerAuthenticator : ICallerAuthenticator
{
    public ValueTask<Outcome<CallerIdentity>> AuthenticateAsync(HttpHeadersCollection headers, string? clientAddress, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Outcome<CallerIdentity>>(CallerIdentity.Anonymous(clientAddress));

    public ValueTask PrepareAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public bool AuthorityUnavailable => false;
}
