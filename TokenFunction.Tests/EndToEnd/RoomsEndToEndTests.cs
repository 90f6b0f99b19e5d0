using System.Net;
using System.Net.Http.Json;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>The built app in local mode with room creation on, talking to a loopback VideoSDK stand-in.</summary>
public sealed class RoomsWorker : FunctionsHostFixture
{
    private readonly FunctionsHostOptions _options = LocalModeWorker.SampleSettings().WithSetting("Rooms__AllowCreate", "true");

    public VideoSdkApiStandIn VideoSdk { get; private set; } = null!;

    public string ApiSecret => _options.AppSettings["VideoSdk__ApiSecret"];

    protected override async Task<FunctionsHostOptions> CreateOptionsAsync()
    {
        VideoSdk = await VideoSdkApiStandIn.StartAsync();
        return _options.WithSetting("Rooms__VideoSdkBaseUrl", VideoSdk.BaseUrl.ToString());
    }

    protected override async Task DisposeDependenciesAsync() => await VideoSdk.DisposeAsync();
}

/// <summary>
/// The room routes through the worker's generated metadata, route binding and typed HttpClient, as the
/// Functions host drives them, in anonymous mode (no authority; bearer mode is covered in-process by
/// SignedInRoomCallersTests). Tests share one worker and one stand-in, so each uses its own room ids.
/// </summary>
public sealed class RoomsEndToEndTests(RoomsWorker worker) : IClassFixture<RoomsWorker>
{
    [Fact]
    public void Worker_metadata_publishes_both_room_routes_anonymous_at_the_platform()
    {
        var create = Assert.Single(worker.Host.HttpFunctions, f => f.Name == "CreateRoom");
        var validate = Assert.Single(worker.Host.HttpFunctions, f => f.Name == "ValidateRoom");

        // As the token function: the room functions admit callers themselves (CallerGate); the host checks no key.
        Assert.Equal(("api/rooms", HttpAuthLevel.Anonymous), (create.Route.Text, create.AuthLevel));
        Assert.Equal(("api/rooms/{roomId}", HttpAuthLevel.Anonymous), (validate.Route.Text, validate.AuthLevel));
    }

    [Fact]
    public async Task A_room_created_through_the_host_validates_through_its_Location()
    {
        var create = new HttpRequestMessage(HttpMethod.Post, "api/rooms");
        create.Content = JsonContent.Create(new { customRoomId = "e2e-created" });
        var created = await (await worker.Client.SendAsync(create)).ReadAsync();

        Assert.Equal(HttpStatusCode.Created, created.Status);
        var location = created.Header("Location")!;
        var validated = await (await worker.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, location.TrimStart('/')))).ReadAsync();

        Assert.Equal(HttpStatusCode.OK, validated.Status);
        Assert.Equal(created.Json.GetProperty("roomId").GetString(), validated.Json.GetProperty("roomId").GetString());
        Assert.Equal("e2e-created", validated.Json.GetProperty("customRoomId").GetString());
        var sent = worker.VideoSdk.Requests.Last(r => r.Method == "POST");
        var (_, claims) = IndependentTokenVerifier.Verify(sent.Authorization!, worker.ApiSecret);
        Assert.Equal(["crawler"], claims.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task An_unknown_room_is_404_and_a_malformed_id_never_reaches_VideoSDK()
    {
        var missing = await (await worker.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/rooms/e2e-missing"))).ReadAsync();
        var malformed = await (await worker.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/rooms/e2e%20bad%21"))).ReadAsync();

        missing.AssertProblem(HttpStatusCode.NotFound, "room_not_found");
        malformed.AssertProblem(HttpStatusCode.BadRequest, "room_id_invalid");
        Assert.DoesNotContain(worker.VideoSdk.Requests, r => r.Path.Contains("e2e", StringComparison.Ordinal) && r.Path.Contains("bad", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_an_authority_room_routes_serve_anonymous_callers_without_a_function_key()
    {
        var response = await worker.Client.PostAsJsonAsync("api/rooms", new { customRoomId = "e2e-anonymous" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public static TheoryData<TokenFunction.Tests.Http.HostileRequest> IllFormedStrings =>
        new(TokenFunction.Tests.Http.HostileRequestCorpus.IllFormedStringsAt(TokenFunction.Tests.Http.HostileRequestCorpus.RoomsPath));

    /// <summary>Names, values and VideoSDK's own nested objects alike: nothing ill-formed is passed on upstream.</summary>
    [Theory]
    [MemberData(nameof(IllFormedStrings))]
    public async Task Every_ill_formed_JSON_string_is_400_malformed_json_through_the_worker_and_never_reaches_VideoSDK(
        TokenFunction.Tests.Http.HostileRequest hostile)
    {
        var upstreamBefore = worker.VideoSdk.Requests.Count(r => r.Method == "POST");
        var request = new HttpRequestMessage(HttpMethod.Post, "api/rooms") { Content = new ByteArrayContent(hostile.Body!) };
        request.Content.Headers.ContentType = new("application/json");

        var response = await (await worker.Client.SendAsync(request)).ReadAsync();

        response.AssertProblem(HttpStatusCode.BadRequest, "malformed_json");
        Assert.Equal(upstreamBefore, worker.VideoSdk.Requests.Count(r => r.Method == "POST"));
    }

    /// <summary>One defective VideoSDK answer of each class for each call (the whole corpus runs in UpstreamDistrustTests).</summary>
    public static TheoryData<string> DefectiveAnswers => new(TokenFunction.Tests.Rooms.VideoSdkAnswerCorpus.All
        .Where(a => a.Reply.Location?.StartsWith(TokenFunction.Tests.Rooms.VideoSdkAnswerCorpus.OtherHost, StringComparison.Ordinal) != true)
        .GroupBy(a => (a.Class, a.Call)).Select(g => g.First().Name));

    [Theory]
    [MemberData(nameof(DefectiveAnswers))]
    public async Task A_defective_VideoSDK_answer_is_502_upstream_invalid_answer_through_the_worker(string name)
    {
        var answer = TokenFunction.Tests.Rooms.VideoSdkAnswerCorpus.ByName(name);
        using var request = answer.Call == TokenFunction.Tests.Rooms.RoomCall.Validate
            ? new HttpRequestMessage(HttpMethod.Get, "api/rooms/" + TokenFunction.Tests.Rooms.VideoSdkAnswerCorpus.AskedRoom)
            : new HttpRequestMessage(HttpMethod.Post, "api/rooms")
            {
                Content = JsonContent.Create(answer.Call == TokenFunction.Tests.Rooms.RoomCall.Create
                    ? new { customRoomId = (string?)null }
                    : new { customRoomId = (string?)TokenFunction.Tests.Rooms.VideoSdkAnswerCorpus.AskedCustomId }),
            };
        worker.VideoSdk.Reply = _ => answer.Reply;
        try
        {
            var response = await (await worker.Client.SendAsync(request)).ReadAsync();

            response.AssertProblem(HttpStatusCode.BadGateway, "upstream_invalid_answer");
            Assert.Null(response.Header("Location"));
            Assert.Contains(worker.Host.Log.Snapshot(), e => e.FullText.Contains("was refused:", StringComparison.Ordinal));
        }
        finally
        {
            worker.VideoSdk.Reply = null;
        }
    }

    [Fact]
    public async Task No_management_token_reaches_the_worker_logs()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/rooms");
        request.Content = JsonContent.Create(new { });
        await worker.Client.SendAsync(request);

        var tokens = worker.VideoSdk.Requests.Select(r => r.Authorization!).Distinct().ToArray();
        Assert.NotEmpty(tokens);
        var leaks = worker.Host.Log.Snapshot().Where(e =>
                e.FullText.Contains("eyJ", StringComparison.Ordinal)
                || e.FullText.Contains(worker.ApiSecret, StringComparison.Ordinal)
                || tokens.Any(t => e.FullText.Contains(t.Split('.')[2], StringComparison.Ordinal)))
            .ToList();
        Assert.True(leaks.Count == 0, "leaked into the worker's logs: " + string.Join(Environment.NewLine, leaks.Select(l => l.Source + "/" + l.Category)));
    }
}
