using System.Net;
using System.Text.Json;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Rooms;

public sealed class RoomsFunctionTests : IAsyncLifetime
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private RoomsTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await RoomsTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Create_passes_the_optional_fields_to_VideoSDK_and_answers_201_with_the_room_and_its_location()
    {
        var response = await _bed.CreateAsync("""
            {"customRoomId":"team-standup","webhook":{"endPoint":"https://example.com/hook","events":["session-started"]},
             "autoCloseConfig":{"type":"session-end-and-deactivate","duration":60}}
            """);

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal("no-store", response.Header("Cache-Control"));
        var roomId = response.Json.GetProperty("roomId").GetString()!;
        Assert.Matches("^[a-z]{4}-[a-z]{4}-[a-z]{4}$", roomId);
        Assert.Equal("team-standup", response.Json.GetProperty("customRoomId").GetString());
        Assert.False(response.Json.GetProperty("disabled").GetBoolean());
        Assert.Equal(["roomId", "customRoomId", "disabled"], response.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal($"/api/rooms/{roomId}", response.Header("Location"));

        var sent = Assert.Single(_bed.VideoSdk.Requests);
        Assert.Equal(("POST", "/v2/rooms"), (sent.Method, sent.Path));
        Assert.StartsWith("application/json", sent.ContentType);
        Assert.Equal("team-standup", sent.Json.GetProperty("customRoomId").GetString());
        Assert.Equal("https://example.com/hook", sent.Json.GetProperty("webhook").GetProperty("endPoint").GetString());
        Assert.Equal(["session-started"], sent.Json.GetProperty("webhook").GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(60, sent.Json.GetProperty("autoCloseConfig").GetProperty("duration").GetInt32());
        Assert.Equal(["customRoomId", "webhook", "autoCloseConfig"], sent.Json.EnumerateObject().Select(p => p.Name));
        AssertManagementToken(sent.Authorization);
    }

    [Fact]
    public async Task Create_without_a_body_sends_an_empty_object_so_VideoSDK_applies_its_defaults()
    {
        var response = await _bed.CreateAsync();

        Assert.Equal(HttpStatusCode.Created, response.Status);
        Assert.Equal(JsonValueKind.Null, response.Json.GetProperty("customRoomId").ValueKind);
        Assert.Equal("{}", Assert.Single(_bed.VideoSdk.Requests).Body);
    }

    [Fact]
    public async Task Validate_answers_200_with_an_existing_room_found_by_room_id_or_custom_room_id()
    {
        _bed.VideoSdk.AddRoom("abcd-efgh-ijkl", "daily-sync");

        var byId = await _bed.ValidateAsync("abcd-efgh-ijkl");
        var byCustomId = await _bed.ValidateAsync("daily-sync");

        foreach (var response in new[] { byId, byCustomId })
        {
            Assert.Equal(HttpStatusCode.OK, response.Status);
            Assert.Equal("abcd-efgh-ijkl", response.Json.GetProperty("roomId").GetString());
            Assert.Equal("daily-sync", response.Json.GetProperty("customRoomId").GetString());
        }

        Assert.Equal(["/v2/rooms/validate/abcd-efgh-ijkl", "/v2/rooms/validate/daily-sync"], _bed.VideoSdk.Requests.Select(r => r.Path));
        Assert.All(_bed.VideoSdk.Requests, r => Assert.Equal("GET", r.Method));
        AssertManagementToken(_bed.VideoSdk.Requests[0].Authorization);
    }

    [Fact]
    public async Task Validate_answers_404_for_a_room_VideoSDK_does_not_know()
    {
        var problem = (await _bed.ValidateAsync("zzzz-zzzz-zzzz")).AssertProblem(HttpStatusCode.NotFound, "room_not_found");

        Assert.Contains("'zzzz-zzzz-zzzz'", problem.GetProperty("detail").GetString());
        Assert.Single(_bed.VideoSdk.Requests);
    }

    [Fact]
    public async Task A_created_room_validates()
    {
        var created = await _bed.CreateAsync();
        var roomId = created.Json.GetProperty("roomId").GetString()!;

        var validated = await _bed.ValidateAsync(roomId);

        Assert.Equal(HttpStatusCode.OK, validated.Status);
        Assert.Equal(roomId, validated.Json.GetProperty("roomId").GetString());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("")]
    [InlineData("../admin")]
    [InlineData("abcd%2Fefgh")]
    [InlineData("äbcd-efgh-ijkl")]
    [InlineData("a\u0000b")]
    [InlineData("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")] // one over the limit
    public async Task Bad_room_ids_are_refused_before_any_call_to_VideoSDK(string roomId)
    {
        (await _bed.ValidateAsync(roomId)).AssertProblem(HttpStatusCode.BadRequest, "room_id_invalid");

        Assert.Empty(_bed.VideoSdk.Requests);
    }

    [Theory]
    [InlineData("""{"webhook":"https://example.com"}""", "webhook")]
    [InlineData("""{"autoCloseConfig":[1]}""", "autoCloseConfig")]
    public async Task An_object_field_of_another_type_is_refused_saying_it_must_be_an_object(string json, string field)
    {
        var problem = (await _bed.CreateAsync(json)).AssertProblem(HttpStatusCode.BadRequest, "invalid_field_type");

        Assert.Equal($"Field '{field}' must be a JSON object.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"customRoomId":"has space"}""", "room_id_invalid", "customRoomId")]
    [InlineData("""{"customRoomId":7}""", "invalid_field_type", "customRoomId")]
    [InlineData("""{"webhook":"https://example.com"}""", "invalid_field_type", "webhook")]
    [InlineData("""{"autoCloseConfig":[1]}""", "invalid_field_type", "autoCloseConfig")]
    [InlineData("""{"geoFence":"us002"}""", "unknown_field", "geoFence")]
    [InlineData("""{"customRoomId":"a","customRoomId":"b"}""", "duplicate_field", "customRoomId")]
    [InlineData("""{"customRoomId":""", "malformed_json", null)]
    public async Task Bad_create_bodies_are_refused_before_any_call_to_VideoSDK(string json, string code, string? field)
    {
        var problem = (await _bed.CreateAsync(json)).AssertProblem(HttpStatusCode.BadRequest, code);

        if (field is not null)
        {
            Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        }

        Assert.Empty(_bed.VideoSdk.Requests);
    }

    [Fact]
    public async Task Other_methods_get_405_with_an_Allow_header_and_no_upstream_call()
    {
        var create = await _bed.SendCreateAsync(FakeHttpRequestData.Create("GET", "/api/rooms"));
        var validate = await _bed.ValidateAsync("abcd-efgh-ijkl", method: "DELETE");

        create.AssertProblem(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        validate.AssertProblem(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Equal(("POST", "GET"), (create.Header("Allow"), validate.Header("Allow")));
        Assert.Empty(_bed.VideoSdk.Requests);
    }

    [Fact]
    public async Task Consecutive_calls_reuse_one_cached_management_token()
    {
        await _bed.CreateAsync();
        await _bed.ValidateAsync("abcd-efgh-ijkl");

        Assert.Single(_bed.VideoSdk.Requests.Select(r => r.Authorization).Distinct());
    }

    public static TheoryData<HttpStatusCode, string?, string?, HttpStatusCode, string> UpstreamFailures => new()
    {
        // VideoSDK's status, its body, its Retry-After; what our caller gets
        { HttpStatusCode.Unauthorized, """{"message":"Invalid token"}""", null, HttpStatusCode.BadGateway, "upstream_credentials_rejected" },
        { HttpStatusCode.Forbidden, """{"message":"crawler role required"}""", null, HttpStatusCode.BadGateway, "upstream_credentials_rejected" },
        { HttpStatusCode.TooManyRequests, """{"message":"slow down"}""", "17", HttpStatusCode.TooManyRequests, "upstream_rate_limited" },
        { HttpStatusCode.InternalServerError, """{"message":"boom"}""", null, HttpStatusCode.BadGateway, "upstream_error" },
        { HttpStatusCode.ServiceUnavailable, null, null, HttpStatusCode.BadGateway, "upstream_error" },
        { HttpStatusCode.OK, """{"unexpected":true}""", null, HttpStatusCode.BadGateway, "upstream_invalid_answer" },
        { HttpStatusCode.OK, "<html>", null, HttpStatusCode.BadGateway, "upstream_invalid_answer" },
    };

    [Theory]
    [MemberData(nameof(UpstreamFailures))]
    public async Task Upstream_failures_of_create_and_validate_map_to_clear_problems(
        HttpStatusCode upstream, string? body, string? retryAfter, HttpStatusCode status, string code)
    {
        _bed.VideoSdk.Reply = _ => new StandInReply(upstream, body, RetryAfter: retryAfter);

        var created = await _bed.CreateAsync();
        var validated = await _bed.ValidateAsync("abcd-efgh-ijkl");

        foreach (var response in new[] { created, validated })
        {
            var detail = response.AssertProblem(status, code).GetProperty("detail").GetString()!;
            if (retryAfter is not null)
            {
                Assert.Equal(retryAfter, response.Header("Retry-After"));
            }

            if (code == "upstream_credentials_rejected")
            {
                Assert.DoesNotContain("token", detail, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task A_client_error_from_VideoSDK_is_relayed_with_its_message_made_safe()
    {
        _bed.VideoSdk.Reply = _ => new StandInReply(HttpStatusCode.UnprocessableEntity,
            """{"statusCode":422,"message":"autoCloseConfig.duration must be positive\u0007"}""");

        var problem = (await _bed.CreateAsync("""{"autoCloseConfig":{"duration":-1}}""")).AssertProblem(HttpStatusCode.BadRequest, "room_request_rejected");

        Assert.Equal("VideoSDK refused to create a room (422): autoCloseConfig.duration must be positive", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_VideoSDK_message_that_carries_a_token_is_not_relayed()
    {
        _bed.VideoSdk.Reply = request => new StandInReply(HttpStatusCode.BadRequest, JsonSerializer.Serialize(new { message = "bad token " + request.Authorization }));

        var response = await _bed.CreateAsync();

        Assert.EndsWith("(400): no reason given", response.AssertProblem(HttpStatusCode.BadRequest, "room_request_rejected").GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Validation_is_retried_after_a_transient_failure()
    {
        _bed.VideoSdk.AddRoom("abcd-efgh-ijkl");
        var calls = 0;
        _bed.VideoSdk.Reply = _ => Interlocked.Increment(ref calls) == 1 ? new StandInReply(HttpStatusCode.BadGateway) : null;

        var response = await _bed.ValidateAsync("abcd-efgh-ijkl");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(2, _bed.VideoSdk.Requests.Count);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("""{"customRoomId":"team-standup"}""", 3)]
    public async Task Creation_is_retried_only_when_a_custom_room_id_makes_it_idempotent(string? json, int expectedCalls)
    {
        _bed.VideoSdk.Reply = _ => new StandInReply(HttpStatusCode.ServiceUnavailable);

        (await _bed.CreateAsync(json)).AssertProblem(HttpStatusCode.BadGateway, "upstream_error");

        Assert.Equal(expectedCalls, _bed.VideoSdk.Requests.Count);
    }

    [Fact]
    public async Task Rate_limits_are_not_retried_but_passed_back()
    {
        _bed.VideoSdk.Reply = _ => new StandInReply(HttpStatusCode.TooManyRequests, RetryAfter: "120");

        var response = await _bed.ValidateAsync("abcd-efgh-ijkl");

        response.AssertProblem(HttpStatusCode.TooManyRequests, "upstream_rate_limited");
        Assert.Equal("120", response.Header("Retry-After"));
        Assert.Single(_bed.VideoSdk.Requests);
    }

    [Fact]
    public async Task A_VideoSDK_that_does_not_answer_gets_a_504_when_the_attempt_timeout_ends_a_create()
    {
        _bed.VideoSdk.Reply = _ => new StandInReply(HttpStatusCode.OK, Delay: Timeout.InfiniteTimeSpan);
        var created = _bed.StartCreate(FakeHttpRequestData.Create("POST", "/api/rooms"));
        await _bed.VideoSdk.NextRequestAsync();

        _bed.Clock.Advance(RoomsTestBed.AttemptTimeout - Tick);
        Assert.False(created.IsCompleted);
        _bed.Clock.Advance(Tick);

        // Not retried: without a customRoomId a second POST could create a second room.
        ReadResponse.From(await created).AssertProblem(HttpStatusCode.GatewayTimeout, "upstream_timeout");
        Assert.Single(_bed.VideoSdk.Requests);
    }

    [Fact]
    public async Task A_VideoSDK_that_does_not_answer_gets_a_504_when_the_total_timeout_ends_a_validation_and_its_retries()
    {
        _bed.VideoSdk.Reply = _ => new StandInReply(HttpStatusCode.OK, Delay: Timeout.InfiniteTimeSpan);
        var validated = _bed.StartValidate("abcd-efgh-ijkl");
        await _bed.VideoSdk.NextRequestAsync();

        // The first attempt times out and is retried; whatever the retries are doing, the total bound ends the call.
        _bed.Clock.Advance(RoomsTestBed.TotalTimeout - Tick);
        Assert.False(validated.IsCompleted);
        _bed.Clock.Advance(Tick);

        var problem = ReadResponse.From(await validated).AssertProblem(HttpStatusCode.GatewayTimeout, "upstream_timeout");
        Assert.Contains(RoomsTestBed.TotalTimeout.TotalSeconds + " s", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.InRange(_bed.VideoSdk.Requests.Count, 1, 3);
    }

    [Fact]
    public async Task An_unreachable_VideoSDK_is_a_502()
    {
        await using var closed = await RoomsTestBed.StartAsync();
        await closed.VideoSdk.DisposeAsync();

        (await closed.ValidateAsync("abcd-efgh-ijkl")).AssertProblem(HttpStatusCode.BadGateway, "upstream_error");
    }

    private void AssertManagementToken(string? authorization)
    {
        Assert.NotNull(authorization);
        Assert.DoesNotContain(" ", authorization);
        var (_, payload) = IndependentTokenVerifier.Verify(authorization, TestApp.ApiSecret);
        Assert.Equal(["crawler"], payload.GetProperty("roles").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("2", payload.GetProperty("version").GetRawText());
        Assert.Equal(TestApp.ApiKey, payload.GetProperty("apikey").GetString());
        Assert.Equal(300, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
        Assert.Equal(_bed.Clock.GetUtcNow().ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
    }
}
