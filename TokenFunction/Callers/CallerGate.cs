using Microsoft.Azure.Functions.Worker.Http;
using TokenFunction.Problems;

namespace TokenFunction.Callers;

/// <summary>The door every caller-facing function goes through: who is asking, and whether they may ask now.</summary>
internal sealed class CallerGate(ICallerAuthenticator authenticator, ClientAddressReader addresses, ICallerRateLimiter rateLimiter)
{
    public async ValueTask<Outcome<CallerIdentity>> AdmitAsync(HttpRequestData request, CancellationToken cancellationToken)
    {
        var address = addresses.Read(request.Headers);
        var caller = await authenticator.AuthenticateAsync(request.Headers, address, cancellationToken);
        if (!caller.Succeeded)
        {
            // Refused tokens still cost a parse and a signature check: charge them to the sender's address,
            // so a flood of garbage tokens meets the same limit as a flood of requests.
            return await rateLimiter.AcquireAsync(CallerIdentity.Anonymous(address), cancellationToken) ?? caller.Problem;
        }

        return await rateLimiter.AcquireAsync(caller.Value, cancellationToken) is { } refused ? refused : caller;
    }
}
