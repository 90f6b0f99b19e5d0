using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TokenFunction.Rooms;

namespace TokenFunction.Tests.Rooms;

/// <summary>
/// What a caller is told when VideoSDK refuses or fails a room call: how long to wait after VideoSDK's 429 in
/// each form its Retry-After can take, which of VideoSDK's statuses the caller can fix, VideoSDK's own reason
/// (relayed bounded and only when it is text), the backstop timeout's 504. Also how VideoSDK's answers and
/// address are read (a room's <c>disabled</c>, a base URL with a path) and what an operator reads of each call.
/// </summary>
public sealed class VideoSdkAnswersTests : IAsyncLifetime
{
    private RoomsTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await RoomsTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    public enum RetryAfterForm
    {
        None,
        ZeroSeconds,
        DateIn30Seconds,
        DateNow,
        DateInThePast,
        TenDays,
        DateInTenDays,
    }

    /// <summary>VideoSDK's Retry-After, and the one our caller gets: VideoSDK's wait when it gives one still ahead (at most an hour), else 5 s.</summary>
    [Theory]
    [InlineData(RetryAfterForm.None, "5")]
    [InlineData(RetryAfterForm.ZeroSeconds, "5")]
    [InlineData(RetryAfterForm.DateIn30Seconds, "30")]
    [InlineData(RetryAfterForm.DateNow, "5")]
    [InlineData(RetryAfterForm.DateInThePast, "5")]
    [InlineData(RetryAfterForm.TenDays, "3600")]
    [InlineData(RetryAfterForm.DateInTenDays, "3600")]
    public async Task A_rate_limited_call_passes_on_VideoSDK_s_wait_if_it_is_still_ahead_up_to_an_hour_and_5_seconds_otherwise(RetryAfterForm form, string expected)
    {
        // The bed's clock is whole seconds, as an HTTP date is.
        var now = _bed.Clock.GetUtcNow();
        var retryAfter = form switch
        {
            RetryAfterForm.None => null,
            RetryAfterForm.ZeroSeconds => "0",
            RetryAfterForm.DateIn30Seconds => HttpDate(now.AddSeconds(30)),
            RetryAfterForm.DateNow => HttpDate(now),
            RetryAfterForm.DateInThePast => HttpDate(now.AddMinutes(-1)),
            RetryAfterForm.TenDays => "864000",
            RetryAfterForm.DateInTenDays => HttpDate(now.AddDays(10)),
            _ => throw new ArgumentOutOfRangeException(nameof(form)),
        };
        _bed.VideoSdk.Reply = _ => new StandInReply(HttpStatusCode.TooManyRequests, RetryAfter: retryAfter);

        var response = await _bed.ValidateAsync("abcd-efgh-ijkl");

        response.AssertProblem(HttpStatusCode.TooManyRequests, "upstream_rate_limited");
        Assert.Equal(expected, response.Header("Retry-After"));
    }

    [Fact]
    public async Task A_404_to_a_creation_is_VideoSDK_s_failure_not_the_caller_s()
    {
        _bed.VideoSdk.Reply = _ => new StandInReply(HttpStatusCode.NotFound, """{"message":"Not Found"}""");

        var problem = (await _bed.CreateAsync()).AssertProblem(HttpStatusCode.BadGateway, "upstream_error");

        Assert.Equal("VideoSDK failed to create a room (it answered 404); retry later.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.BadRequest)]
    public async Task A_validation_VideoSDK_refuses_names_no_room_of_the_project(HttpStatusCode status)
    {
        _bed.VideoSdk.Reply = _ => new StandInReply(status, """{"message":"Invalid roomId"}""");

        var problem = (await _bed.ValidateAsync("abcd-efgh-ijkl")).AssertProblem(HttpStatusCode.NotFound, "room_not_found");

        Assert.Equal("No room 'abcd-efgh-ijkl' exists in this VideoSDK project.", problem.GetProperty("detail").GetString());
    }

    /// <summary>VideoSDK's error body, and the reason relayed after "VideoSDK refused to create a room (422): ".</summary>
    public static TheoryData<string, string> Reasons => new()
    {
        { """{"message":"duration must be positive","error":"other"}""", "duration must be positive" },
        { """{"error":"webhook endPoint is not a URL"}""", "webhook endPoint is not a URL" },
        { """{"message":42,"error":"the text one"}""", "the text one" },
        { """{"message":"  tabs\tand\nnew lines  "}""", "tabs and new lines" },
        { """{"message":" \u0007 "}""", "no reason given" },
        { """{"message":null}""", "no reason given" },
        { """["message"]""", "no reason given" },
        // Deeper than anything VideoSDK sends: not parsed further.
        { """{"deep":""" + new string('[', 10) + new string(']', 10) + ""","message":"m"}""", "no reason given" },
        { "not json", "no reason given" },
        { """{"message":""}""", "no reason given" },
        { JsonSerializer.Serialize(new { message = new string('x', 200) }), new string('x', 200) },
        { JsonSerializer.Serialize(new { message = new string('x', 201) }), new string('x', 200) + "…" },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public async Task A_client_error_relays_VideoSDK_s_text_reason_bounded_to_200_characters(string body, string reason)
    {
        _bed.VideoSdk.Reply = _ => new StandInReply(HttpStatusCode.UnprocessableEntity, body);

        var problem = (await _bed.CreateAsync()).AssertProblem(HttpStatusCode.BadRequest, "room_request_rejected");

        Assert.Equal($"VideoSDK refused to create a room (422): {reason}", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_failed_validation_says_which_call_failed()
    {
        _bed.VideoSdk.Reply = _ => new StandInReply(HttpStatusCode.ServiceUnavailable);

        var problem = (await _bed.ValidateAsync("abcd-efgh-ijkl")).AssertProblem(HttpStatusCode.BadGateway, "upstream_error");

        Assert.Equal("VideoSDK failed to validate the room (it answered 503); retry later.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"roomId":"abcd-efgh-ijkl","disabled":true}""", true)]
    [InlineData("""{"roomId":"abcd-efgh-ijkl","disabled":false}""", false)]
    [InlineData("""{"roomId":"abcd-efgh-ijkl"}""", false)]
    public async Task A_room_is_disabled_only_when_VideoSDK_says_so(string answer, bool disabled)
    {
        _bed.VideoSdk.Reply = _ => new StandInReply(HttpStatusCode.OK, answer);

        var response = await _bed.ValidateAsync("abcd-efgh-ijkl");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(disabled, response.Json.GetProperty("disabled").GetBoolean());
    }

    [Fact]
    public async Task A_base_url_with_a_path_keeps_it_whether_or_not_it_ends_in_a_slash()
    {
        // A proxy in front of VideoSDK under a path of its own, written without the trailing slash.
        await using var bed = await RoomsTestBed.StartAsync(new Dictionary<string, string?>
        {
            ["Rooms:VideoSdkBaseUrl"] = _bed.VideoSdk.BaseUrl + "videosdk",
        });

        await bed.ValidateAsync("abcd-efgh-ijkl");

        Assert.Equal("/videosdk/v2/rooms/validate/abcd-efgh-ijkl", Assert.Single(_bed.VideoSdk.Requests).Path);
    }

    [Fact]
    public async Task When_the_HttpClient_backstop_ends_a_call_before_the_pipeline_does_the_caller_gets_a_504_naming_it()
    {
        // The backstop is on the real clock; the pipeline's own timeouts are on the bed's, which stays put. So only
        // the backstop can end this call, however slow the machine: shortened here so the test does not wait 9 s.
        await using var bed = await RoomsTestBed.StartAsync(configure: services =>
            services.Configure<HttpClientFactoryOptions>(nameof(VideoSdkRoomsClient),
                options => options.HttpClientActions.Add(http => http.Timeout = TimeSpan.FromMilliseconds(100))));
        bed.VideoSdk.Reply = _ => new StandInReply(HttpStatusCode.OK, Delay: Timeout.InfiniteTimeSpan);

        var problem = (await bed.ValidateAsync("abcd-efgh-ijkl")).AssertProblem(HttpStatusCode.GatewayTimeout, "upstream_timeout");

        Assert.Equal("VideoSDK did not validate the room within 0.1 s; retry later.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Each_room_call_is_logged_with_its_operation_and_room_or_its_error_code_and_detail()
    {
        var created = (await _bed.CreateAsync()).Json.GetProperty("roomId").GetString();
        _bed.VideoSdk.Reply = _ => new StandInReply(HttpStatusCode.NotFound);
        await _bed.ValidateAsync("abcd-efgh-ijkl");

        var calls = _bed.App.Logs.Where(r => r.Category == typeof(VideoSdkRoomsClient).FullName).ToList();
        Assert.Equal([4001, 4002], calls.Select(r => r.Id.Id));
        Assert.Equal([LogLevel.Information, LogLevel.Debug], calls.Select(r => r.Level));
        Assert.Equal(("create", created), (calls[0].GetStructuredStateValue("Operation"), calls[0].GetStructuredStateValue("RoomId")));
        Assert.Equal(("validate", "room_not_found", "No room 'abcd-efgh-ijkl' exists in this VideoSDK project."),
            (calls[1].GetStructuredStateValue("Operation"), calls[1].GetStructuredStateValue("ErrorCode"), calls[1].GetStructuredStateValue("Detail")));
    }

    private static string HttpDate(DateTimeOffset at) => at.ToString("r", CultureInfo.InvariantCulture);
}
