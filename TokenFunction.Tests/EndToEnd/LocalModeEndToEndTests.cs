using System.Net;
using System.Net.Http.Json;
using System.Text;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>
/// The built app, started as the Functions host starts it, answering through its generated metadata,
/// DI, serialization and routes; signing credentials from the sample local settings.
/// </summary>
public sealed class LocalModeEndToEndTests(LocalModeWorker worker) : IClassFixture<LocalModeWorker>
{
    [Fact]
    public async Task Health_is_anonymous_and_says_only_healthy()
    {
        var response = await (await worker.Client.GetAsync("api/health")).ReadAsync();

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.StartsWith("application/json", response.Header("Content-Type"));
        Assert.Equal("{\"status\":\"healthy\"}", response.Body);
    }

    [Fact]
    public void Worker_metadata_publishes_token_and_health_anonymous_at_the_platform()
    {
        var token = Assert.Single(worker.Host.HttpFunctions, f => f.Name == "Token");
        var health = Assert.Single(worker.Host.HttpFunctions, f => f.Name == "Health");

        Assert.Equal("api/token", token.Route.Text);
        // The token function authenticates its callers itself (bearer tokens, CallerAuth); the host checks no key.
        Assert.Equal(HttpAuthLevel.Anonymous, token.AuthLevel);
        Assert.Equal("api/health", health.Route.Text);
        Assert.Equal(HttpAuthLevel.Anonymous, health.AuthLevel);
        // No method list, as on every route: other methods reach the function and get its 405 problem, not the platform's 404.
        Assert.Empty(health.Methods);
        Assert.Empty(token.Methods);
    }

    [Fact]
    public async Task Without_an_authority_the_local_worker_serves_anonymous_callers_and_warns_about_it()
    {
        var response = await (await worker.Client.PostAsJsonAsync("api/token", new { })).ReadAsync();

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Contains(worker.Host.Log.Snapshot(), e => e.FullText.Contains("Anonymous mode (local development)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Posted_token_verifies_independently_with_exact_claims()
    {
        var request = worker.WithFunctionKey(HttpMethod.Post, "api/token");
        request.Content = JsonContent.Create(new { roomId = JoinTokenAssertions.RoomId, participantId = JoinTokenAssertions.ParticipantId });
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var response = await (await worker.Client.SendAsync(request)).ReadAsync();

        JoinTokenAssertions.AssertJoinToken(response, worker.ApiKey, worker.ApiSecret, worker.DefaultTtlSeconds, before);
    }

    [Fact]
    public async Task Token_by_query_carries_the_requested_lifetime()
    {
        var response = await (await worker.Client.GetAsync("api/token?ttlSeconds=600")).ReadAsync();

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var (_, claims) = IndependentTokenVerifier.Verify(response.Json.GetProperty("token").GetString()!, worker.ApiSecret);
        Assert.Equal(600, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task Nothing_the_worker_logged_contains_the_secret_a_token_or_the_function_key()
    {
        var tokens = new List<string>();
        foreach (var body in new[] { "{}", "{\"participantId\":\"alice@example.com\"}" })
        {
            var request = worker.WithFunctionKey(HttpMethod.Post, "api/token");
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            var response = await (await worker.Client.SendAsync(request)).ReadAsync();
            tokens.Add(response.Json.GetProperty("token").GetString()!);
        }

        var refused = worker.WithFunctionKey(HttpMethod.Post, "api/token");
        refused.Content = new StringContent("{\"permissions\":[\"allow_mod\"]}", Encoding.UTF8, "application/json");
        await worker.Client.SendAsync(refused);

        var logged = worker.Host.Log.Snapshot();
        Assert.Contains(logged, e => e.Source == WorkerLogSource.Rpc && e.Category.StartsWith("TokenFunction", StringComparison.Ordinal));
        var leaks = logged.Where(e =>
                e.FullText.Contains(worker.ApiSecret, StringComparison.Ordinal)
                || e.FullText.Contains(worker.Host.Keys.FunctionKey, StringComparison.Ordinal)
                || e.FullText.Contains("eyJ", StringComparison.Ordinal)
                || tokens.Any(t => e.FullText.Contains(t.Split('.')[2], StringComparison.Ordinal)))
            .ToList();
        Assert.True(leaks.Count == 0, "leaked into the worker's logs: " + string.Join(Environment.NewLine, leaks.Select(l => l.Source + "/" + l.Category)));
    }

    public static TheoryData<string, string?, string, HttpStatusCode, string> BadRequests => new()
    {
        { "POST", "{\"permissions\":", "application/json", HttpStatusCode.BadRequest, "malformed_json" },
        { "POST", "{\"permissions\":[\"allow_mod\"]}", "application/json", HttpStatusCode.Forbidden, "permission_not_allowed" },
        { "POST", "{\"permissions\":[\"ask_join\",\"allow_join\"]}", "application/json", HttpStatusCode.BadRequest, "permission_conflict" },
        { "POST", "{\"ttlSeconds\":5}", "application/json", HttpStatusCode.BadRequest, "ttl_out_of_range" },
        { "POST", "{\"roomId\":\"no spaces\"}", "application/json", HttpStatusCode.BadRequest, "room_id_invalid" },
        { "POST", "{\"secret\":\"x\"}", "application/json", HttpStatusCode.BadRequest, "unknown_field" },
        { "POST", "permissions=allow_join", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type" },
        { "POST", "{\"roomId\":\"" + new string('a', 5000) + "\"}", "application/json", HttpStatusCode.RequestEntityTooLarge, "body_too_large" },
        { "DELETE", null, "application/json", HttpStatusCode.MethodNotAllowed, "method_not_allowed" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_get_the_matching_problem(string method, string? body, string contentType, HttpStatusCode status, string code)
    {
        var request = worker.WithFunctionKey(new HttpMethod(method), "api/token");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        var response = await (await worker.Client.SendAsync(request)).ReadAsync();

        response.AssertProblem(status, code);
    }

    public static TheoryData<TokenFunction.Tests.Http.HostileRequest> IllFormedStrings =>
        new(TokenFunction.Tests.Http.HostileRequestCorpus.IllFormedStringsAt(TokenFunction.Tests.Http.HostileRequestCorpus.TokenPath));

    /// <summary>Through the host's own body and header handling, not just the function: names and values alike.</summary>
    [Theory]
    [MemberData(nameof(IllFormedStrings))]
    public async Task Every_ill_formed_JSON_string_is_400_malformed_json_through_the_worker(TokenFunction.Tests.Http.HostileRequest hostile)
    {
        var request = worker.WithFunctionKey(HttpMethod.Post, "api/token");
        request.Content = new ByteArrayContent(hostile.Body!);
        request.Content.Headers.ContentType = new("application/json");

        var response = await (await worker.Client.SendAsync(request)).ReadAsync();

        response.AssertProblem(HttpStatusCode.BadRequest, "malformed_json");
    }

    [Fact]
    public async Task Oversized_body_sent_chunked_without_content_length_is_refused()
    {
        var request = worker.WithFunctionKey(HttpMethod.Post, "api/token");
        var body = Encoding.UTF8.GetBytes("{\"roomId\":\"" + new string('a', 5000) + "\"}");
        request.Content = new StreamContent(new NonSeekableStream(body));
        request.Content.Headers.ContentType = new("application/json");

        var response = await (await worker.Client.SendAsync(request)).ReadAsync();

        response.AssertProblem(HttpStatusCode.RequestEntityTooLarge, "body_too_large");
    }

    [Fact]
    public async Task Method_not_allowed_names_the_allowed_methods()
    {
        var response = await (await worker.Client.SendAsync(worker.WithFunctionKey(HttpMethod.Put, "api/token"))).ReadAsync();

        response.AssertProblem(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Equal("GET, POST", response.Header("Allow"));
    }

    /// <summary>A body whose length is unknown up front, so it goes chunked, without Content-Length.</summary>
    private sealed class NonSeekableStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
