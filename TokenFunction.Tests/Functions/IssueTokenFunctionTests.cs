using System.Net;
using System.Text;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using TokenFunction.Functions;
using TokenFunction.Secrets;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Functions;

public class IssueTokenFunctionTests : IDisposable
{
    private readonly TestApp _app = new();

    public void Dispose() => _app.Dispose();

    private async Task<ReadResponse> SendAsync(HttpRequestData request, TestApp? app = null) =>
        ReadResponse.From(await (app ?? _app).InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None)));

    [Fact]
    public async Task Post_with_a_full_body_answers_a_verifiable_token_and_its_facts()
    {
        var response = await SendAsync(FakeHttpRequestData.Json(
            """{"permissions":["allow_join"],"roomId":"abcd-efgh-ijkl","participantId":"user-1","ttlSeconds":600}"""));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/json; charset=utf-8", response.Header("Content-Type"));
        Assert.Equal("no-store", response.Header("Cache-Control"));
        var body = response.Json;
        Assert.Equal(["allow_join"], body.GetProperty("permissions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("abcd-efgh-ijkl", body.GetProperty("roomId").GetString());
        Assert.Equal("user-1", body.GetProperty("participantId").GetString());

        var (_, payload) = IndependentTokenVerifier.Verify(body.GetProperty("token").GetString()!, TestApp.ApiSecret);
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(payload.GetProperty("exp").GetInt64());
        Assert.Equal(expiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"), body.GetProperty("expiresAt").GetString());
        Assert.Equal(600, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
        Assert.Equal("abcd-efgh-ijkl", payload.GetProperty("roomId").GetString());
        Assert.Equal("user-1", payload.GetProperty("participantId").GetString());
    }

    [Theory]
    [InlineData("POST", null)]
    [InlineData("POST", "{}")]
    [InlineData("GET", null)]
    public async Task An_empty_request_gets_the_configured_defaults(string method, string? json)
    {
        var request = json is null ? FakeHttpRequestData.Create(method) : FakeHttpRequestData.Json(json, method);

        var response = await SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var (_, payload) = IndependentTokenVerifier.Verify(response.Json.GetProperty("token").GetString()!, TestApp.ApiSecret);
        Assert.Equal(["allow_join"], payload.GetProperty("permissions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(86_400, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
        Assert.Equal(JsonValueKindNull, response.Json.GetProperty("roomId").ValueKind);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task Get_takes_the_same_fields_from_the_query_string()
    {
        var response = await SendAsync(FakeHttpRequestData.Create("GET",
            "/api/token?permissions=ask_join&roomId=abcd-efgh-ijkl&participantId=guest%40example.com&ttlSeconds=120"));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var (_, payload) = IndependentTokenVerifier.Verify(response.Json.GetProperty("token").GetString()!, TestApp.ApiSecret);
        Assert.Equal(["ask_join"], payload.GetProperty("permissions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("guest@example.com", payload.GetProperty("participantId").GetString());
        Assert.Equal(120, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
    }

    public static TheoryData<string, string, HttpStatusCode, string, string?> Refusals => new()
    {
        // method, body (or ?query for GET), status, code, field
        { "POST", "{\"permissions\":[]}", HttpStatusCode.BadRequest, "permissions_empty", "permissions" },
        { "POST", "{\"permissions\":[\"allow_all\"]}", HttpStatusCode.BadRequest, "permission_unknown", "permissions" },
        { "POST", "{\"permissions\":[\"allow_join\",\"allow_join\"]}", HttpStatusCode.BadRequest, "permission_duplicate", "permissions" },
        { "POST", "{\"permissions\":[\"ask_join\",\"allow_join\"]}", HttpStatusCode.BadRequest, "permission_conflict", "permissions" },
        { "POST", "{\"permissions\":[\"allow_mod\"]}", HttpStatusCode.Forbidden, "permission_not_allowed", "permissions" },
        { "POST", "{\"ttlSeconds\":59}", HttpStatusCode.BadRequest, "ttl_out_of_range", "ttlSeconds" },
        { "POST", "{\"ttlSeconds\":86401}", HttpStatusCode.BadRequest, "ttl_out_of_range", "ttlSeconds" },
        { "POST", "{\"ttlSeconds\":1e30}", HttpStatusCode.BadRequest, "ttl_out_of_range", "ttlSeconds" },
        { "POST", "{\"ttlSeconds\":600.5}", HttpStatusCode.BadRequest, "invalid_field_type", "ttlSeconds" },
        { "POST", "{\"ttlSeconds\":\"600\"}", HttpStatusCode.BadRequest, "invalid_field_type", "ttlSeconds" },
        { "POST", "{\"roomId\":\"has space\"}", HttpStatusCode.BadRequest, "room_id_invalid", "roomId" },
        { "POST", "{\"roomId\":\"\"}", HttpStatusCode.BadRequest, "room_id_invalid", "roomId" },
        { "POST", "{\"roomId\":42}", HttpStatusCode.BadRequest, "invalid_field_type", "roomId" },
        { "POST", "{\"participantId\":\"a\\u0000b\"}", HttpStatusCode.BadRequest, "participant_id_invalid", "participantId" },
        { "POST", "{\"participantId\":\"" + new string('x', 129) + "\"}", HttpStatusCode.BadRequest, "participant_id_invalid", "participantId" },
        { "POST", "{\"permissions\":\"allow_join\"}", HttpStatusCode.BadRequest, "invalid_field_type", "permissions" },
        { "POST", "{\"permissions\":[1]}", HttpStatusCode.BadRequest, "invalid_field_type", "permissions" },
        { "POST", "{\"isAdmin\":true}", HttpStatusCode.BadRequest, "unknown_field", "isAdmin" },
        { "POST", "{\"roomId\":\"a\",\"roomId\":\"b\"}", HttpStatusCode.BadRequest, "duplicate_field", "roomId" },
        { "POST", "{\"roomId\":", HttpStatusCode.BadRequest, "malformed_json", null },
        { "POST", "[]", HttpStatusCode.BadRequest, "malformed_json", null },
        { "POST", "{\"permissions\":[[[[[\"allow_join\"]]]]]}", HttpStatusCode.BadRequest, "malformed_json", null },
        { "GET", "?permissions=", HttpStatusCode.BadRequest, "permissions_empty", "permissions" },
        { "GET", "?permissions=allow_mod", HttpStatusCode.Forbidden, "permission_not_allowed", "permissions" },
        { "GET", "?ttlSeconds=ten", HttpStatusCode.BadRequest, "invalid_field_type", "ttlSeconds" },
        { "GET", "?ttlSeconds=99999999999999", HttpStatusCode.BadRequest, "ttl_out_of_range", "ttlSeconds" },
        { "GET", "?roomId=a&roomId=b", HttpStatusCode.BadRequest, "duplicate_field", "roomId" },
        { "GET", "?role=admin", HttpStatusCode.BadRequest, "unknown_field", "role" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Each_bad_request_gets_its_own_problem_code_and_no_token(
        string method, string input, HttpStatusCode status, string code, string? field)
    {
        var request = method == "GET"
            ? FakeHttpRequestData.Create("GET", "/api/token" + input)
            : FakeHttpRequestData.Json(input);

        var problem = (await SendAsync(request)).AssertProblem(status, code);

        if (field is not null)
        {
            var errors = problem.GetProperty("errors").EnumerateArray().ToArray();
            Assert.Contains(errors, e => e.GetProperty("field").GetString() == field && e.GetProperty("code").GetString() == code);
        }
    }

    [Fact]
    public async Task Unknown_fields_are_each_named()
    {
        var problem = (await SendAsync(FakeHttpRequestData.Json("""{"role":"admin","apikey":"x","roomId":"ok"}""")))
            .AssertProblem(HttpStatusCode.BadRequest, "unknown_field");

        Assert.Equal(["role", "apikey"], problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("HEAD")]
    public async Task Other_methods_get_405_with_an_Allow_header(string method)
    {
        var response = await SendAsync(FakeHttpRequestData.Create(method));

        response.AssertProblem(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Equal("GET, POST", response.Header("Allow"));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("")]
    public async Task A_body_that_is_not_utf8_json_gets_415(string contentType)
    {
        var response = await SendAsync(FakeHttpRequestData.Json("{}", contentType: contentType));

        response.AssertProblem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task A_body_over_4_KiB_gets_413_even_without_a_Content_Length()
    {
        var json = "{\"roomId\":\"" + new string('a', 4100) + "\"}";

        (await SendAsync(FakeHttpRequestData.Json(json))).AssertProblem(HttpStatusCode.RequestEntityTooLarge, "body_too_large");
    }

    [Fact]
    public async Task A_declared_Content_Length_over_the_limit_is_refused_before_reading()
    {
        var request = FakeHttpRequestData.Create("POST", body: Encoding.UTF8.GetBytes("{}"),
            headers: [new("Content-Type", "application/json"), new("Content-Length", "1048576")]);

        (await SendAsync(request)).AssertProblem(HttpStatusCode.RequestEntityTooLarge, "body_too_large");
    }

    [Fact]
    public async Task Post_refuses_token_fields_in_the_query_string()
    {
        var request = FakeHttpRequestData.Create("POST", "/api/token?permissions=allow_mod&code=k");

        (await SendAsync(request)).AssertProblem(HttpStatusCode.BadRequest, "unknown_field");
    }

    [Fact]
    public async Task Moderator_rights_are_granted_only_when_configured()
    {
        using var app = new TestApp(new Dictionary<string, string?>
        {
            ["Tokens:AllowedPermissions:0"] = "allow_join",
            ["Tokens:AllowedPermissions:1"] = "allow_mod",
        });

        var response = await SendAsync(FakeHttpRequestData.Json("""{"permissions":["allow_join","allow_mod"]}"""), app);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var (_, payload) = IndependentTokenVerifier.Verify(response.Json.GetProperty("token").GetString()!, TestApp.ApiSecret);
        Assert.Equal(["allow_join", "allow_mod"], payload.GetProperty("permissions").EnumerateArray().Select(e => e.GetString()));
        (await SendAsync(FakeHttpRequestData.Json("""{"permissions":["ask_join"]}"""), app))
            .AssertProblem(HttpStatusCode.Forbidden, "permission_not_allowed");
    }

    [Fact]
    public async Task Unavailable_credentials_give_503_with_Retry_After_and_no_token()
    {
        var provider = new Mock<ISigningCredentialsProvider>();
        provider.Setup(p => p.GetAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(CredentialsLookup.Unavailable("Key Vault is unreachable.", TimeSpan.FromSeconds(7.2)));
        using var app = new TestApp(configure: services => services.AddSingleton(provider.Object));

        var response = await SendAsync(FakeHttpRequestData.Create("GET"), app);

        response.AssertProblem(HttpStatusCode.ServiceUnavailable, "signing_credentials_unavailable");
        Assert.Equal("8", response.Header("Retry-After"));
    }

    [Fact]
    public async Task Each_issued_token_is_logged_once_with_its_facts_but_never_its_text()
    {
        var response = await SendAsync(FakeHttpRequestData.Json("""{"roomId":"abcd-efgh-ijkl","participantId":"user-9"}"""));
        var token = response.Json.GetProperty("token").GetString()!;
        var (jwt, _) = IndependentTokenVerifier.Verify(token, TestApp.ApiSecret);

        var issued = Assert.Single(_app.Logs, r => r.Id.Id == 2001);
        Assert.Contains(jwt.Id, issued.Message);
        Assert.Contains("abcd-efgh-ijkl", issued.Message);
        Assert.Contains("user-9", issued.Message);
        Assert.Contains("allow_join", issued.Message);
        Assert.DoesNotContain(token, _app.AllLogText);
        Assert.DoesNotContain(jwt.EncodedSignature, _app.AllLogText);
        Assert.DoesNotContain(TestApp.ApiSecret, _app.AllLogText);
        Assert.DoesNotContain(TestApp.ApiKey, _app.AllLogText);
    }
}
