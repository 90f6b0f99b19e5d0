using Microsoft.Azure.Functions.Worker.Http;
using TokenFunction.Http;

namespace TokenFunction.Callers;

/// <summary>The door every caller-facing function goes through: who is asking, and whether they may ask now.</summary>
public sealed class CallerGate(ICallerAuthenticator authenticator, ClientAddressReader addresses, CallerRateLimiter rateLimiter)
{
    public async ValueTask<Outcome<CallerIdentity>> AdmitAsync(HttpRequestData request, CancellationToken cancellationToken)
    {
        var caller = await authenticator.AuthenticateAsync(request.Headers, addresses.Read(request.Headers), cancellationToken);
        if (!caller.Succeeded)
        {
            return caller;
        }

        return rateLimiter.TryAcquire(caller.Value) is { } refused ? refused : caller;
    }
}
