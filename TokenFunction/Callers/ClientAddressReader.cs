using System.Net;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Options;

namespace TokenFunction.Callers;

/// <summary>
/// The client's network address, from X-Forwarded-For. The worker never sees the TCP peer; the platform's
/// front end appends the address it saw to the header, so the last entries are trustworthy and the first
/// ones are whatever the client chose to send (an anonymous caller could dodge its rate limit with them).
/// </summary>
internal sealed class ClientAddressReader(IOptions<RateLimitOptions> options)
{
    private readonly int _trustedProxyHops = options.Value.TrustedProxyHops;

    public string? Read(HttpHeadersCollection headers)
    {
        if (!headers.TryGetValues("X-Forwarded-For", out var values))
        {
            return null;
        }

        var hops = values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
        var index = hops.Length - 1 - _trustedProxyHops;
        return index >= 0 && TryParseHop(hops[index], out var address) ? address.ToString() : null;
    }

    /// <summary>The front end writes <c>203.0.113.7:51234</c> or <c>[2001:db8::1]:51234</c>; the port is dropped.</summary>
    private static bool TryParseHop(string hop, out IPAddress address)
    {
        if (IPEndPoint.TryParse(hop, out var endpoint))
        {
            address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
            return true;
        }

        address = IPAddress.None;
        return false;
    }
}
