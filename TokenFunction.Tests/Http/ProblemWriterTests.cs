using System.Net;
using TokenFunction.Http;
using TokenFunction.Problems;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Http;

/// <summary>Every member of a refusal as a client reads it: the RFC 9457 body, its extensions and its headers.</summary>
public sealed class ProblemWriterTests : IDisposable
{
    private readonly TestApp _app = new();

    public void Dispose() => _app.Dispose();

    private async Task<ReadResponse> WriteAsync(ApiProblem problem, FakeHttpRequestData? request = null)
    {
        request ??= FakeHttpRequestData.Create("POST");
        return ReadResponse.From(await _app.Get<ApiResponses>().ProblemAsync(request, problem));
    }

    [Fact]
    public async Task A_problem_carries_type_title_status_detail_code_and_the_invocation_as_trace_id()
    {
        var request = FakeHttpRequestData.Create("POST");

        var response = await WriteAsync(new ApiProblem(ErrorCodes.MalformedJson, "The body is not JSON."), request);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("application/problem+json", response.Header("Content-Type"));
        Assert.Equal("no-store", response.Header("Cache-Control"));
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        var body = response.Json;
        Assert.Equal("urn:videosdk-token-function:problem:malformed_json", body.GetProperty("type").GetString());
        Assert.Equal("Malformed JSON", body.GetProperty("title").GetString());
        Assert.Equal(400, body.GetProperty("status").GetInt32());
        Assert.Equal("The body is not JSON.", body.GetProperty("detail").GetString());
        Assert.Equal("malformed_json", body.GetProperty("code").GetString());
        Assert.Equal(request.FunctionContext.InvocationId, body.GetProperty("traceId").GetString());
        Assert.False(body.TryGetProperty("errors", out _));
        Assert.Null(response.Header("Retry-After"));
        Assert.Null(response.Header("WWW-Authenticate"));
        Assert.Null(response.Header("Allow"));
    }

    [Fact]
    public async Task Field_errors_are_listed_in_order_and_the_detail_counts_the_others()
    {
        FieldError[] errors =
        [
            new("roomId", ErrorCodes.UnknownField.Code, "Unknown field 'roomid'."),
            new("ttl", ErrorCodes.UnknownField.Code, "Unknown field 'ttl'."),
            new("role", ErrorCodes.UnknownField.Code, "Unknown field 'role'."),
        ];

        var problem = ApiProblem.ForFields(errors);
        var body = (await WriteAsync(problem)).AssertProblem(HttpStatusCode.BadRequest, "unknown_field");

        Assert.Equal("Unknown field 'roomid'. (and 2 more: see errors)", body.GetProperty("detail").GetString());
        Assert.Equal(errors.Select(e => (e.Field, e.Code, e.Detail)),
            body.GetProperty("errors").EnumerateArray().Select(e =>
                (e.GetProperty("field").GetString()!, e.GetProperty("code").GetString()!, e.GetProperty("detail").GetString()!)));
    }

    [Fact]
    public async Task A_single_field_error_is_the_whole_detail_and_its_code_decides_the_status()
    {
        var body = (await WriteAsync(ApiProblem.ForFields([new("permissions", "permission_not_allowed", "Not for you.")])))
            .AssertProblem(HttpStatusCode.Forbidden, "permission_not_allowed");

        Assert.Equal("Not for you.", body.GetProperty("detail").GetString());

        var single = (await WriteAsync(ApiProblem.ForField(ErrorCodes.RoomIdInvalid, "roomId", "Bad room.")))
            .AssertProblem(HttpStatusCode.BadRequest, "room_id_invalid");
        var error = Assert.Single(single.GetProperty("errors").EnumerateArray());
        Assert.Equal("roomId", error.GetProperty("field").GetString());
        Assert.Equal("room_id_invalid", error.GetProperty("code").GetString());
        Assert.Equal("Bad room.", single.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(0, "1")]
    [InlineData(200, "1")]
    [InlineData(1000, "1")]
    [InlineData(1001, "2")]
    [InlineData(7200, "8")]
    [InlineData(30_000, "30")]
    public async Task Retry_After_is_whole_seconds_rounded_up_and_never_less_than_one(int milliseconds, string expected)
    {
        var problem = new ApiProblem(ErrorCodes.RateLimited, "Slow down.") { RetryAfter = TimeSpan.FromMilliseconds(milliseconds) };

        Assert.Equal(expected, (await WriteAsync(problem)).Header("Retry-After"));
    }

    [Fact]
    public async Task A_405_names_the_allowed_methods_in_its_Allow_header_and_its_detail()
    {
        var response = await WriteAsync(ApiProblem.MethodNotAllowed("PUT", "GET, POST"));

        var body = response.AssertProblem(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Equal("GET, POST", response.Header("Allow"));
        Assert.Equal("Use GET or POST for this endpoint, not 'PUT'.", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_401_carries_its_challenge()
    {
        const string Challenge = "Bearer error=\"invalid_token\", error_description=\"expired\"";

        var response = await WriteAsync(new ApiProblem(ErrorCodes.CallerTokenInvalid, "Sign in.")
        {
            WwwAuthenticate = Challenge,
        });

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal(Challenge, response.Header("WWW-Authenticate"));
    }

    [Theory]
    [InlineData(null, "null")]
    [InlineData("PUT", "'PUT'")]
    [InlineData("a\tb\nc", "'a\\u0009b\\u000Ac'")]
    [InlineData("with space", "'with space'")]
    [InlineData("a\u0001b", "'a\\u0001b'")]
    [InlineData("no\u00A0break", "'no\\u00A0break'")]
    public void Caller_values_are_echoed_quoted_with_control_characters_escaped(string? value, string expected) =>
        Assert.Equal(expected, Describe.Value(value));

    [Fact]
    public void Long_caller_values_are_cut_at_40_characters()
    {
        Assert.Equal("'" + new string('x', 39) + "'", Describe.Value(new string('x', 39)));
        Assert.Equal("'" + new string('x', 40) + "'", Describe.Value(new string('x', 40)));
        Assert.Equal("'" + new string('x', 40) + "…'", Describe.Value(new string('x', 41)));
        Assert.Equal("'" + new string('x', 40) + "…'", Describe.Value(new string('x', 5000)));
    }
}
