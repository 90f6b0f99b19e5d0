using System.Net;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Rooms;

/// <summary>
/// VideoSDK's answers trusted no more than a caller's request: the room endpoints against a stand-in answering with each
/// defect of <see cref="VideoSdkAnswerCorpus"/> get 502 <c>upstream_invalid_answer</c>, relay nothing of the answer, send
/// exactly one request (no redirect followed, nothing to another host: a second stand-in is where redirects point) and
/// log what was wrong for the operator; a well-formed answer is relayed by the same app.
/// </summary>
public sealed class UpstreamDistrustTests(UpstreamDistrustTests.Beds beds) : IClassFixture<UpstreamDistrustTests.Beds>
{
    /// <summary>One app and its VideoSDK stand-in for the corpus, and a second stand-in: the other host redirects name.</summary>
    public sealed class Beds : IAsyncLifetime
    {
        public RoomsTestBed Bed { get; private set; } = null!;

        public VideoSdkApiStandIn OtherHost { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            OtherHost = await VideoSdkApiStandIn.StartAsync();
            Bed = await RoomsTestBed.StartAsync(TestApp.UnlimitedRate());
        }

        public async Task DisposeAsync()
        {
            await Bed.DisposeAsync();
            await OtherHost.DisposeAsync();
        }
    }

    public static TheoryData<string> Answers => new(VideoSdkAnswerCorpus.All.Select(a => a.Name));

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Each_defective_answer_is_502_upstream_invalid_answer_relaying_nothing_of_it(string name)
    {
        var answer = VideoSdkAnswerCorpus.ByName(name);
        var bed = beds.Bed;
        var reply = answer.Reply with { Location = answer.Reply.Location?.Replace(VideoSdkAnswerCorpus.OtherHost, beds.OtherHost.BaseUrl.ToString(), StringComparison.Ordinal) };
        bed.VideoSdk.Reply = _ => reply;
        var (sent, elsewhere, logged) = (bed.VideoSdk.Requests.Count, beds.OtherHost.Requests.Count, InvalidAnswersLogged());

        var response = await Call(answer.Call);

        var problem = response.AssertProblem(HttpStatusCode.BadGateway, "upstream_invalid_answer");
        Assert.Null(response.Header("Location"));
        if (answer.Hostile is { } hostile)
        {
            Assert.DoesNotContain(hostile, response.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(response.Headers.Values, value => value.Contains(hostile, StringComparison.Ordinal));
        }

        Assert.Equal($"VideoSDK's answer to {(answer.Call == RoomCall.Validate ? "validate the room" : "create a room")} was not usable; retry later.",
            problem.GetProperty("detail").GetString());
        Assert.Equal(sent + 1, bed.VideoSdk.Requests.Count);
        Assert.Equal(elsewhere, beds.OtherHost.Requests.Count);
        Assert.Equal(logged + 1, InvalidAnswersLogged());
    }

    [Theory]
    [InlineData(RoomCall.Validate)]
    [InlineData(RoomCall.Create)]
    [InlineData(RoomCall.CreateWithCustomId)]
    public async Task A_well_formed_answer_is_relayed_by_the_same_app(RoomCall call)
    {
        beds.Bed.VideoSdk.Reply = null;
        beds.Bed.VideoSdk.AddRoom(VideoSdkAnswerCorpus.AskedRoom);

        var response = await Call(call);

        Assert.Equal(call == RoomCall.Validate ? HttpStatusCode.OK : HttpStatusCode.Created, response.Status);
        Assert.Equal(call == RoomCall.CreateWithCustomId ? VideoSdkAnswerCorpus.AskedCustomId : null,
            call == RoomCall.Validate ? null : response.Json.GetProperty("customRoomId").GetString());
    }

    /// <summary>Event 4003 says what was wrong, in terms of fields and rules, never with the answer's values.</summary>
    [Fact]
    public async Task The_log_says_which_field_broke_which_rule_without_its_value()
    {
        beds.Bed.VideoSdk.Reply = _ => new StandInReply(HttpStatusCode.OK, """{"roomId":"abcd\r\nSet-Cookie: x=1","customRoomId":null}""");

        await Call(RoomCall.Create);

        var logged = beds.Bed.App.Logs.Last(log => log.Id.Id == 4003);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, logged.Level);
        Assert.Equal("roomId (21 characters) is not 1 to 128 characters from A-Z, a-z, 0-9, '-' and '_'", logged.GetStructuredStateValue("Violation"));
        Assert.DoesNotContain("Set-Cookie", beds.Bed.App.AllLogText, StringComparison.Ordinal);
    }

    private int InvalidAnswersLogged() => beds.Bed.App.Logs.Count(log => log.Id.Id == 4003);

    private Task<ReadResponse> Call(RoomCall call) => call switch
    {
        RoomCall.Validate => beds.Bed.ValidateAsync(VideoSdkAnswerCorpus.AskedRoom),
        RoomCall.Create => beds.Bed.CreateAsync(),
        _ => beds.Bed.CreateAsync($$"""{"customRoomId":"{{VideoSdkAnswerCorpus.AskedCustomId}}"}"""),
    };
}
