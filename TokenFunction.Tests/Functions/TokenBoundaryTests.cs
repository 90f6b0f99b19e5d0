using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Http;
using TokenFunction.Functions;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Functions;

/// <summary>
/// The exact edges of what the token endpoint accepts: the values on a documented bound are served, the next
/// value out is refused. Each case is a bug a user would hit if a comparison were off by one.
/// </summary>
public sealed class TokenBoundaryTests : IDisposable
{
    private readonly TestApp _app = new();

    public void Dispose() => _app.Dispose();

    private static async Task<ReadResponse> SendAsync(TestApp app, HttpRequestData request) =>
        ReadResponse.From(await app.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None)));

    private static long LifetimeOf(ReadResponse response)
    {
        Assert.Equal(HttpStatusCode.OK, response.Status);
        var (_, payload) = IndependentTokenVerifier.Verify(response.Json.GetProperty("token").GetString()!, TestApp.ApiSecret);
        return payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64();
    }

    [Theory]
    [InlineData(60)]
    [InlineData(61)]
    [InlineData(86_399)]
    [InlineData(86_400)]
    public async Task A_lifetime_on_or_inside_the_documented_bounds_is_served_exactly(int ttl)
    {
        Assert.Equal(ttl, LifetimeOf(await SendAsync(_app, FakeHttpRequestData.Json($$"""{"ttlSeconds":{{ttl}}}"""))));
        Assert.Equal(ttl, LifetimeOf(await SendAsync(_app, FakeHttpRequestData.Create("GET", $"/api/token?ttlSeconds={ttl}"))));
    }

    [Theory]
    [InlineData(59)]
    [InlineData(86_401)]
    [InlineData(0)]
    [InlineData(-60)]
    public async Task A_lifetime_one_past_either_bound_is_refused_naming_the_allowed_range(int ttl)
    {
        foreach (var request in new HttpRequestData[]
                 {
                     FakeHttpRequestData.Json($$"""{"ttlSeconds":{{ttl}}}"""),
                     FakeHttpRequestData.Create("GET", $"/api/token?ttlSeconds={ttl}"),
                 })
        {
            var problem = (await SendAsync(_app, request)).AssertProblem(HttpStatusCode.BadRequest, "ttl_out_of_range");

            var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
            Assert.Equal("ttlSeconds", error.GetProperty("field").GetString());
            Assert.Equal($"ttlSeconds must be an integer from 60 to 86400; got {ttl}.", error.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task A_configured_maximum_is_itself_allowed_and_one_second_more_is_not()
    {
        using var app = new TestApp(new Dictionary<string, string?>
        {
            ["Tokens:MaxTtlSeconds"] = "3600",
            ["Tokens:DefaultTtlSeconds"] = "900",
        });

        Assert.Equal(3600, LifetimeOf(await SendAsync(app, FakeHttpRequestData.Json("""{"ttlSeconds":3600}"""))));
        Assert.Equal(900, LifetimeOf(await SendAsync(app, FakeHttpRequestData.Json("{}"))));
        var problem = (await SendAsync(app, FakeHttpRequestData.Json("""{"ttlSeconds":3601}""")))
            .AssertProblem(HttpStatusCode.BadRequest, "ttl_out_of_range");
        Assert.Contains("from 60 to 3600", problem.GetProperty("detail").GetString());
    }

    public static TheoryData<string, string> AcceptedIdentifiers => new()
    {
        { "roomId", "a" },
        { "roomId", new string('r', 128) },
        { "roomId", "Az09-_" },
        { "participantId", "p" },
        { "participantId", new string('p', 128) },
        { "participantId", "auth0|Az09-_.@:+=~" },
    };

    [Theory]
    [MemberData(nameof(AcceptedIdentifiers))]
    public async Task Identifiers_of_one_to_128_allowed_characters_are_put_in_the_token_as_sent(string field, string value)
    {
        var response = await SendAsync(_app, FakeHttpRequestData.Json($$"""{"{{field}}":"{{value}}"}"""));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var (_, payload) = IndependentTokenVerifier.Verify(response.Json.GetProperty("token").GetString()!, TestApp.ApiSecret);
        Assert.Equal(value, payload.GetProperty(field).GetString());
    }

    [Theory]
    [InlineData("roomId", 129, "room_id_invalid")]
    [InlineData("participantId", 129, "participant_id_invalid")]
    [InlineData("participantId", 0, "participant_id_invalid")]
    public async Task Identifiers_longer_than_128_or_empty_are_refused(string field, int length, string code)
    {
        var problem = (await SendAsync(_app, FakeHttpRequestData.Json($$"""{"{{field}}":"{{new string('x', length)}}"}""")))
            .AssertProblem(HttpStatusCode.BadRequest, code);

        Assert.Equal(field, Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Explicit_nulls_mean_the_configured_defaults_like_absent_fields()
    {
        var response = await SendAsync(_app, FakeHttpRequestData.Json(
            """{"ttlSeconds":null,"permissions":null,"roomId":null,"participantId":null}"""));

        Assert.Equal(86_400, LifetimeOf(response));
        var (_, payload) = IndependentTokenVerifier.Verify(response.Json.GetProperty("token").GetString()!, TestApp.ApiSecret);
        Assert.Equal(["allow_join"], payload.GetProperty("permissions").EnumerateArray().Select(e => e.GetString()));
        Assert.False(payload.TryGetProperty("roomId", out _));
        Assert.Equal(JsonValueKind.Null, response.Json.GetProperty("roomId").ValueKind);
    }

    [Theory]
    [InlineData("""{"ttlSeconds":true}""")]
    [InlineData("""{"ttlSeconds":[600]}""")]
    [InlineData("""{"permissions":["allow_join",null]}""")]
    [InlineData("""{"permissions":{"0":"allow_join"}}""")]
    public async Task A_value_of_the_wrong_JSON_type_is_refused_as_such(string json) =>
        (await SendAsync(_app, FakeHttpRequestData.Json(json))).AssertProblem(HttpStatusCode.BadRequest, "invalid_field_type");

    [Fact]
    public async Task A_body_of_exactly_4_KiB_is_read_and_one_byte_more_is_413_with_or_without_Content_Length()
    {
        var fits = BodyOfLength(4096);
        var tooLong = BodyOfLength(4097);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(_app, Post(fits, declareLength: false))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(_app, Post(fits, declareLength: true))).Status);
        (await SendAsync(_app, Post(tooLong, declareLength: false))).AssertProblem(HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        var problem = (await SendAsync(_app, Post(tooLong, declareLength: true)))
            .AssertProblem(HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        Assert.Equal("The request body must be at most 4096 bytes.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_chunked_body_arriving_a_few_bytes_at_a_time_is_read_whole()
    {
        var body = Encoding.UTF8.GetBytes("""{"roomId":"abcd-efgh-ijkl","ttlSeconds":120}""");
        var request = FakeHttpRequestData.Create("POST", body: [], headers: [new("Content-Type", "application/json")]);

        var response = await SendAsync(_app, new BodyOverride(request, new TricklingStream(body, 3)));

        Assert.Equal(120, LifetimeOf(response));
        Assert.Equal("abcd-efgh-ijkl", response.Json.GetProperty("roomId").GetString());
    }

    [Fact]
    public async Task An_oversized_chunked_body_is_refused_without_reading_it_to_the_end()
    {
        var endless = new TricklingStream(Encoding.UTF8.GetBytes("{\"roomId\":\"" + new string('a', 1 << 20) + "\"}"), 1000);
        var request = FakeHttpRequestData.Create("POST", headers: [new("Content-Type", "application/json")]);

        (await SendAsync(_app, new BodyOverride(request, endless))).AssertProblem(HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        Assert.Equal(4097, endless.BytesRead);
    }

    [Theory]
    [InlineData("4096", HttpStatusCode.OK)]
    [InlineData("not-a-number", HttpStatusCode.OK)]
    [InlineData("4097", HttpStatusCode.RequestEntityTooLarge)]
    public async Task Only_a_declared_length_over_the_limit_refuses_before_reading(string declared, HttpStatusCode expected)
    {
        var request = FakeHttpRequestData.Create("POST", body: Encoding.UTF8.GetBytes("{}"),
            headers: [new("Content-Type", "application/json"), new("Content-Length", declared)]);

        Assert.Equal(expected, (await SendAsync(_app, request)).Status);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; charset=\"UTF-8\"")]
    [InlineData("application/json")]
    public async Task Json_in_utf8_is_accepted_however_the_media_type_is_spelled(string contentType) =>
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(_app, FakeHttpRequestData.Json("{}", contentType: contentType))).Status);

    [Fact]
    public async Task An_empty_body_needs_no_content_type_but_a_repeated_content_type_is_not_trusted()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(_app, FakeHttpRequestData.Create("POST", body: []))).Status);

        var twice = FakeHttpRequestData.Create("POST", body: Encoding.UTF8.GetBytes("{}"),
            headers: [new("Content-Type", "application/json"), new("Content-Type", "application/json")]);
        (await SendAsync(_app, twice)).AssertProblem(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    /// <summary>A valid request padded with spaces (insignificant JSON whitespace) to exactly <paramref name="length"/> bytes.</summary>
    private static byte[] BodyOfLength(int length)
    {
        const string Json = """{"roomId":"abcd-efgh-ijkl"}""";
        return Encoding.UTF8.GetBytes(Json + new string(' ', length - Json.Length));
    }

    private static FakeHttpRequestData Post(byte[] body, bool declareLength) =>
        FakeHttpRequestData.Create("POST", body: body, headers: declareLength
            ? [new("Content-Type", "application/json"), new("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))]
            : [new("Content-Type", "application/json")]);

    /// <summary>The same request with another body stream: a transfer-encoded body that arrives in pieces.</summary>
    private sealed class BodyOverride(HttpRequestData inner, Stream body) : HttpRequestData(inner.FunctionContext)
    {
        public override Stream Body => body;
        public override HttpHeadersCollection Headers => inner.Headers;
        public override IReadOnlyCollection<IHttpCookie> Cookies => inner.Cookies;
        public override Uri Url => inner.Url;
        public override IEnumerable<System.Security.Claims.ClaimsIdentity> Identities => inner.Identities;
        public override string Method => inner.Method;
        public override HttpResponseData CreateResponse() => inner.CreateResponse();
    }

    /// <summary>Hands out at most <paramref name="chunk"/> bytes per read, as a network stream does, and counts what was taken.</summary>
    private sealed class TricklingStream(byte[] content, int chunk) : Stream
    {
        private int _position;

        public int BytesRead => _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(chunk, buffer.Length), content.Length - _position);
            content.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
