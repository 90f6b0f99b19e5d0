using System.Net;
using System.Net.Http.Json;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>
/// CORS on the host stand-in's HTTP front, from local.settings.sample.json's <c>Host.CORS</c> as Core Tools reads it:
/// a browser page on a listed origin may call the endpoint with a bearer token; any other origin's page may not.
/// </summary>
public sealed class HostCorsTests(LocalModeWorker worker) : IClassFixture<LocalModeWorker>
{
    private const string ListedOrigin = "http://localhost:5173";
    private const string UnlistedOrigin = "https://evil.example";

    [Fact]
    public void The_sample_settings_list_the_origins_of_the_usual_dev_servers()
    {
        Assert.Equal(["http://localhost:3000", "http://localhost:5173", "http://localhost:8080"], worker.Host.Cors!.AllowedOrigins);
        Assert.False(worker.Host.Cors.SupportCredentials);
    }

    [Fact]
    public async Task A_preflight_from_a_listed_origin_allows_the_method_and_the_bearer_header()
    {
        using var response = await SendAsync(Preflight(ListedOrigin));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(ListedOrigin, Single(response, "Access-Control-Allow-Origin"));
        Assert.Equal("POST", Single(response, "Access-Control-Allow-Methods"));
        Assert.Equal("authorization,content-type", Single(response, "Access-Control-Allow-Headers"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task The_call_from_a_listed_origin_is_answered_with_its_origin_and_no_exposed_header()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/token") { Content = JsonContent.Create(new { roomId = "abcd-efgh-ijkl" }) };
        request.Headers.Add("Origin", ListedOrigin);

        using var response = await SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ListedOrigin, Single(response, "Access-Control-Allow-Origin"));
        Assert.Contains("Origin", response.Headers.Vary);
        // As on the platform: Retry-After and the other non-safelisted headers stay unreadable to the page.
        Assert.False(response.Headers.Contains("Access-Control-Expose-Headers"));
    }

    [Fact]
    public async Task An_unlisted_origin_gets_no_CORS_header_so_its_browser_withholds_the_answer()
    {
        using var preflight = await SendAsync(Preflight(UnlistedOrigin));
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/token") { Content = JsonContent.Create(new { roomId = "abcd-efgh-ijkl" }) };
        request.Headers.Add("Origin", UnlistedOrigin);
        using var call = await SendAsync(request);

        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Headers"));
        Assert.False(call.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_request_without_Origin_is_not_touched()
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/token") { Content = JsonContent.Create(new { roomId = "abcd-efgh-ijkl" }) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "api/token");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using var client = new HttpClient { BaseAddress = worker.BaseAddress };
        using (request)
        {
            return await client.SendAsync(request);
        }
    }

    private static string Single(HttpResponseMessage response, string header) =>
        Assert.Single(response.Headers.GetValues(header));
}
