using System.Net;
using TokenFunction.Functions;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Http;

/// <summary>
/// The words of each refusal, exactly: a developer fixes a request from the detail alone, so a wrong field
/// name, position or bound in it is a bug even when the status and code are right.
/// </summary>
public sealed class RequestRefusalDetailTests : IDisposable
{
    private readonly TestApp _app = new();

    public void Dispose() => _app.Dispose();

    private async Task<ReadResponse> SendAsync(FakeHttpRequestData request) =>
        ReadResponse.From(await _app.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None)));

    private static FakeHttpRequestData Get(string query) => FakeHttpRequestData.Create("GET", "/api/token" + query);

    public static TheoryData<string, string, string?, string> BodyRefusals => new()
    {
        // body, code, field (null: none), detail
        { "{\n  \"roomId\": }", "malformed_json", null, "The body is not valid JSON (line 2, byte 13) or is nested deeper than 4 levels." },
        { "[1]", "malformed_json", null, "The body must be a JSON object." },
        { "{\"roomId\":\"a\",\"roomId\":\"a\"}", "duplicate_field", "roomId", "Field 'roomId' appears more than once." },
        { "{\"isAdmin\":true}", "unknown_field", "isAdmin", "Unknown field 'isAdmin'; expected permissions, roomId, participantId, ttlSeconds." },
        { "{\"roomId\":7}", "invalid_field_type", "roomId", "Field 'roomId' must be a string." },
        { "{\"permissions\":[\"allow_join\",7]}", "invalid_field_type", "permissions", "Field 'permissions' must be an array of strings." },
        { "{\"ttlSeconds\":\"60\"}", "invalid_field_type", "ttlSeconds", "Field 'ttlSeconds' must be an integer number of seconds." },
        { "{\"ttlSeconds\":60.5}", "invalid_field_type", "ttlSeconds", "ttlSeconds must be an integer number of seconds in plain digits: no fraction, exponent, '+', leading zeros or spaces." },
        { "{\"ttlSeconds\":2147483648}", "ttl_out_of_range", "ttlSeconds", "ttlSeconds is far outside the allowed lifetime." },
        { "{\"ttlSeconds\":-2147483649}", "ttl_out_of_range", "ttlSeconds", "ttlSeconds is far outside the allowed lifetime." },
        { "{\"ttlSeconds\":2147483647}", "ttl_out_of_range", "ttlSeconds", "ttlSeconds must be an integer from 60 to 86400; got 2147483647." },
        { "{\"ttlSeconds\":-2147483648}", "ttl_out_of_range", "ttlSeconds", "ttlSeconds must be an integer from 60 to 86400; got -2147483648." },
        { "{\"permissions\":[\"allow_all\"]}", "permission_unknown", "permissions", "Unknown permission 'allow_all'; expected one of allow_join, ask_join, allow_mod." },
        { "{\"permissions\":[\"ask_join\",\"ask_join\"]}", "permission_duplicate", "permissions", "Permission 'ask_join' is listed more than once." },
        { "{\"permissions\":[\"ask_join\",\"allow_mod\"]}", "permission_conflict", "permissions", "'ask_join' cannot be combined with 'allow_join' or 'allow_mod': VideoSDK refuses such a token at join (error 4008)." },
        { "{\"permissions\":[]}", "permissions_empty", "permissions", "At least one permission is required." },
        { "{\"roomId\":\"a b\"}", "room_id_invalid", "roomId", "roomId 'a b' is invalid: 1 to 128 characters from A-Z, a-z, 0-9, '-' and '_'." },
    };

    [Theory]
    [MemberData(nameof(BodyRefusals))]
    public async Task A_refused_body_says_exactly_what_is_wrong(string body, string code, string? field, string detail)
    {
        var problem = (await SendAsync(FakeHttpRequestData.Json(body))).AssertProblem(HttpStatusCode.BadRequest, code);

        Assert.Equal(detail, problem.GetProperty("detail").GetString());
        if (field is null)
        {
            Assert.False(problem.TryGetProperty("errors", out _));
        }
        else
        {
            var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
            Assert.Equal(field, error.GetProperty("field").GetString());
            Assert.Equal(code, error.GetProperty("code").GetString());
            Assert.Equal(detail, error.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Bytes_that_are_not_UTF_8_are_malformed_JSON()
    {
        var request = FakeHttpRequestData.Create("POST", body: [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'],
            headers: [new("Content-Type", "application/json")]);

        var problem = (await SendAsync(request)).AssertProblem(HttpStatusCode.BadRequest, "malformed_json");

        Assert.Equal("The body is not valid UTF-8.", problem.GetProperty("detail").GetString());
    }

    public static TheoryData<string, string, string, string> QueryRefusals => new()
    {
        // query, code, field, detail
        { "?ttlSeconds=", "invalid_field_type", "ttlSeconds", "ttlSeconds must be an integer number of seconds in plain digits: no fraction, exponent, '+', leading zeros or spaces." },
        { "?ttlSeconds=-", "invalid_field_type", "ttlSeconds", "ttlSeconds must be an integer number of seconds in plain digits: no fraction, exponent, '+', leading zeros or spaces." },
        { "?ttlSeconds=6O", "invalid_field_type", "ttlSeconds", "ttlSeconds must be an integer number of seconds in plain digits: no fraction, exponent, '+', leading zeros or spaces." },
        { "?ttlSeconds=-99999999999", "ttl_out_of_range", "ttlSeconds", "ttlSeconds is far outside the allowed lifetime." },
        { "?ttlSeconds=-61", "ttl_out_of_range", "ttlSeconds", "ttlSeconds must be an integer from 60 to 86400; got -61." },
        { "?verbose", "unknown_field", "verbose", "Unknown query parameter 'verbose'; expected permissions, roomId, participantId, ttlSeconds." },
        { "?ttlSeconds=60&ttlSeconds=60", "duplicate_field", "ttlSeconds", "Query parameter 'ttlSeconds' appears more than once." },
    };

    [Theory]
    [MemberData(nameof(QueryRefusals))]
    public async Task A_refused_query_says_exactly_what_is_wrong(string query, string code, string field, string detail)
    {
        var problem = (await SendAsync(Get(query))).AssertProblem(HttpStatusCode.BadRequest, code);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Equal(detail, error.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("?verbose")]
    [InlineData("?roomId=abc")]
    public async Task Post_names_each_query_parameter_it_refuses(string query)
    {
        var problem = (await SendAsync(FakeHttpRequestData.Create("POST", "/api/token" + query)))
            .AssertProblem(HttpStatusCode.BadRequest, "unknown_field");

        var name = query[1..].Split('=')[0];
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(name, error.GetProperty("field").GetString());
        Assert.Equal($"Query parameter '{name}' is not accepted with POST; send token fields in the JSON body.", error.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Query_permissions_are_split_at_commas_and_nothing_is_trimmed_as_in_a_body()
    {
        var spaced = await SendAsync(Get("?permissions=allow_join,%20ask_join%20&ttlSeconds=120"));
        var exact = await SendAsync(Get("?permissions=ask_join&ttlSeconds=120"));

        var error = spaced.AssertProblem(HttpStatusCode.BadRequest, "permission_unknown").GetProperty("errors")[0];
        Assert.Equal("Unknown permission ' ask_join '; expected one of allow_join, ask_join, allow_mod.", error.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, exact.Status);
        var (_, payload) = IndependentTokenVerifier.Verify(exact.Json.GetProperty("token").GetString()!, TestApp.ApiSecret);
        Assert.Equal(["ask_join"], payload.GetProperty("permissions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(120, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task Several_refusals_are_all_listed_and_the_detail_counts_them()
    {
        var problem = (await SendAsync(FakeHttpRequestData.Json("""{"roomId":"a b","participantId":"","ttlSeconds":5}""")))
            .AssertProblem(HttpStatusCode.BadRequest, "room_id_invalid");

        Assert.Equal(["roomId", "participantId", "ttlSeconds"],
            problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
        Assert.EndsWith("(and 2 more: see errors)", problem.GetProperty("detail").GetString());
    }
}
