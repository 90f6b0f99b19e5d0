using System.Net;
using TokenFunction.Functions;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Callers;

/// <summary>
/// Which address an anonymous caller is known by (its rate-limit bucket and its audit line), read from
/// X-Forwarded-For as the platform's front end and any trusted proxies wrote it.
/// </summary>
public sealed class ClientAddressTests
{
    private static TestApp AnonymousApp(int trustedProxyHops, int burst = 10) => new(new Dictionary<string, string?>
    {
        ["RateLimit:TrustedProxyHops"] = trustedProxyHops.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimit:Burst"] = burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimit:TokensPerPeriod"] = "1",
        // Long enough that no bucket refills during a test.
        ["RateLimit:ReplenishmentPeriod"] = "01:00:00",
    });

    private static async Task<HttpStatusCode> SendAsync(TestApp app, params string[] forwardedFor)
    {
        var request = FakeHttpRequestData.Create("POST", headers: forwardedFor.Select(value => new KeyValuePair<string, string>("X-Forwarded-For", value)));
        return ReadResponse.From(await app.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None))).Status;
    }

    /// <summary>The caller as the audit line of the issued token names it.</summary>
    private static async Task<string> CallerSeenAsync(TestApp app, params string[] forwardedFor)
    {
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, forwardedFor));
        const string Before = "to anonymous caller at ", After = ", granted by";
        var issued = app.Logs.Last(log => log.Id.Id == 2001).Message;
        var start = issued.IndexOf(Before, StringComparison.Ordinal) + Before.Length;
        var end = issued.IndexOf(After, start, StringComparison.Ordinal);
        Assert.True(start >= Before.Length && end > start, issued);
        return issued[start..end];
    }

    [Theory]
    [InlineData(0, "203.0.113.7:50001", "203.0.113.7")]
    [InlineData(0, "203.0.113.7", "203.0.113.7")]
    [InlineData(0, "10.0.0.1, 203.0.113.7:50001", "203.0.113.7")]
    [InlineData(0, "[2001:db8::1]:50001", "2001:db8::1")]
    [InlineData(0, "[::ffff:203.0.113.9]:50001", "203.0.113.9")]
    [InlineData(0, "203.0.113.7, ", "203.0.113.7")]
    [InlineData(1, "198.51.100.4, 203.0.113.7:50001", "198.51.100.4")]
    [InlineData(1, "10.9.9.9, 198.51.100.4:443, 203.0.113.7:50001", "198.51.100.4")]
    [InlineData(2, "198.51.100.4, 192.0.2.1, 203.0.113.7:50001", "198.51.100.4")]
    public async Task The_caller_is_the_hop_just_before_the_trusted_ones(int trustedProxyHops, string forwardedFor, string expected)
    {
        using var app = AnonymousApp(trustedProxyHops);

        Assert.Equal(expected, await CallerSeenAsync(app, forwardedFor));
    }

    [Fact]
    public async Task Two_X_Forwarded_For_headers_read_as_one_list()
    {
        using var app = AnonymousApp(1);

        Assert.Equal("198.51.100.4", await CallerSeenAsync(app, "10.0.0.1, 198.51.100.4", "203.0.113.7:50001"));
    }

    [Theory]
    [InlineData(1, "203.0.113.7:50001")]
    [InlineData(2, "198.51.100.4, 203.0.113.7:50001")]
    [InlineData(0, "unknown")]
    [InlineData(0, "203.0.113.7, not-an-address")]
    [InlineData(0, ", ,")]
    public async Task Fewer_hops_than_trusted_proxies_or_an_unreadable_hop_is_an_unknown_address_not_a_guess(int trustedProxyHops, string forwardedFor)
    {
        using var app = AnonymousApp(trustedProxyHops);

        Assert.Equal("an unknown address", await CallerSeenAsync(app, forwardedFor));
    }

    [Fact]
    public async Task Clients_each_sending_a_single_entry_header_have_a_bucket_each()
    {
        using var app = AnonymousApp(trustedProxyHops: 0, burst: 2);

        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, "203.0.113.7:50001"));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, "203.0.113.7:50002"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SendAsync(app, "203.0.113.7:50003"));

        // Another client is not held back by the first one's flood.
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, "198.51.100.4:40000"));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, "198.51.100.4:40001"));
    }

    [Fact]
    public async Task Behind_one_trusted_proxy_each_client_has_its_own_bucket_whatever_the_proxy_port()
    {
        using var app = AnonymousApp(trustedProxyHops: 1, burst: 1);

        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, "198.51.100.4, 203.0.113.7:50001"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SendAsync(app, "198.51.100.4, 203.0.113.7:50002"));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(app, "198.51.100.5, 203.0.113.7:50003"));
    }
}
