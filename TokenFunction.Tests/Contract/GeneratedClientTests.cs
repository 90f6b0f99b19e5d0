using System.Net;
using System.Text.Json;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using TokenFunction.Tests.Contract.KiotaClient;
using TokenFunction.Tests.Contract.KiotaClient.Models;

namespace TokenFunction.Tests.Contract;

/// <summary>One answer as a generated client got it, for the schema check (validate-answers.mjs).</summary>
internal sealed record RecordedAnswer(string Key, string Method, string Path, int Status, string? ContentType, string Body);

/// <summary>
/// The real worker, over the host stand-in's HTTP/1.1 front, driven through the clients a user generates from
/// openapi.yaml: TypeScript (openapi-typescript + openapi-fetch, compiled by tsc) and C# (Kiota). Every
/// documented answer is asked for; each is read into the type the client declares for it, and its body is
/// validated against the contract's schema for its status (ajv, JSON Schema 2020-12).
/// </summary>
[Trait("Category", ContractTooling.Lane)]
[Collection(ContractWorkers.Collection)]
public sealed class GeneratedClientTests(ContractWorkers workers)
{
    private static readonly PublishedContract Contract = PublishedContract.Load();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // All but 500 internal_error: the worker's answer to a failure of its own, which a correct worker offers no
    // way to provoke from outside; OpenApiContractTests produces it in process, with a failing dependency.
    private static readonly string[] DocumentedKeys = Contract.Responses
        .Where(r => r.Status != HttpStatusCode.InternalServerError)
        .Select(r => r.Key).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task The_TypeScript_client_reads_every_documented_answer_of_the_real_worker()
    {
        var generated = await ContractTooling.NpmAsync("generate");
        Assert.True(generated.ExitCode == 0, generated.ToString());
        var compiled = await ContractTooling.NpmAsync("build");
        Assert.True(compiled.ExitCode == 0, "tsc: " + compiled);
        var answersFile = Path.Combine(Path.GetTempPath(), $"ts-answers-{Guid.NewGuid():N}.json");

        try
        {
            var drive = await ContractTooling.NpmAsync("drive", new Dictionary<string, string>
            {
                ["ANONYMOUS_URL"] = workers.Anonymous.BaseAddress.ToString(),
                ["EMPTY_VAULT_URL"] = workers.EmptyVault.BaseAddress.ToString(),
                ["BEARER_URL"] = workers.Bearer.BaseAddress.ToString(),
                ["ALICE_TOKEN"] = workers.Bearer.Provider.IssueToken("alice"),
                ["ANSWERS_FILE"] = answersFile,
                ["RATE_LIMIT"] = ContractWorkers.RateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            Assert.True(drive.ExitCode == 0, drive.ToString());

            using var answers = JsonDocument.Parse(File.ReadAllText(answersFile));
            var recorded = answers.RootElement.EnumerateArray().ToArray();
            Assert.Equal(DocumentedKeys, recorded.Select(a => a.GetProperty("key").GetString()!).Order(StringComparer.Ordinal));
            foreach (var answer in recorded)
            {
                var key = answer.GetProperty("key").GetString()!;
                var typed = answer.GetProperty("typed");
                AssertStatusAndCode(key, answer.GetProperty("status").GetInt32(),
                    typed.ValueKind == JsonValueKind.Object && typed.TryGetProperty("code", out var code) ? code.GetString() : null);
                Assert.True(typed.ValueKind == JsonValueKind.Object, $"{key}: openapi-fetch handed back no parsed body");
            }

            await AssertValidAgainstTheContractAsync(answersFile);
        }
        finally
        {
            File.Delete(answersFile);
        }
    }

    [Fact]
    public async Task The_Kiota_client_reads_every_documented_answer_of_the_real_worker()
    {
        var recorded = new List<RecordedAnswer>();
        foreach (var (key, scenario) in KiotaScenarios)
        {
            using var session = new KiotaSession(workers, key);
            var (status, typed) = await session.RunAsync(scenario);
            Assert.NotNull(typed);
            AssertStatusAndCode(key, status, (typed as Problem)?.Code);
            recorded.Add(session.Answer ?? throw new InvalidOperationException($"{key}: no answer recorded"));
        }

        Assert.Equal(DocumentedKeys, recorded.Select(a => a.Key).Order(StringComparer.Ordinal));
        var answersFile = Path.Combine(Path.GetTempPath(), $"kiota-answers-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(answersFile, JsonSerializer.Serialize(recorded, Json));
            await AssertValidAgainstTheContractAsync(answersFile);
        }
        finally
        {
            File.Delete(answersFile);
        }
    }

    [Fact]
    public async Task Kiota_sends_every_field_of_a_room_and_of_a_token_request()
    {
        using var session = new KiotaSession(workers, "fields");

        var room = await session.Anonymous.Rooms.PostAsync(new CreateRoomRequest
        {
            CustomRoomId = "kiota-fields",
            Webhook = new Webhook { EndPoint = "https://hooks.contoso.test/videosdk", Events = ["session-started"] },
            AutoCloseConfig = new AutoCloseConfig { Type = "session-end-and-deactivate", Duration = 60 },
        }, session.From);
        var token = await session.Anonymous.Token.PostAsync(new TokenRequest
        {
            RoomId = "abcd-efgh-ijkl", ParticipantId = "user-42", TtlSeconds = 600, Permissions = [Permission.Allow_join],
        }, session.From);
        var queried = await session.Anonymous.Token.GetAsync(config =>
        {
            session.From(config);
            config.QueryParameters.Permissions = [Permission.Ask_join];
            config.QueryParameters.RoomId = "abcd-efgh-ijkl";
            config.QueryParameters.ParticipantId = "user-42";
            config.QueryParameters.TtlSeconds = 600;
        });

        Assert.Equal("kiota-fields", room!.CustomRoomId);
        var sent = workers.Anonymous.VideoSdk.Requests.Last(r => r.Method == "POST" && r.Body.Contains("kiota-fields", StringComparison.Ordinal)).Json;
        Assert.Equal("https://hooks.contoso.test/videosdk", sent.GetProperty("webhook").GetProperty("endPoint").GetString());
        Assert.Equal("session-started", sent.GetProperty("webhook").GetProperty("events")[0].GetString());
        Assert.Equal(60, sent.GetProperty("autoCloseConfig").GetProperty("duration").GetInt32());
        Assert.Equal(("abcd-efgh-ijkl", "user-42", Permission.Allow_join), (token!.RoomId, token.ParticipantId, token.Permissions!.Single()));
        Assert.Equal(("abcd-efgh-ijkl", "user-42", Permission.Ask_join), (queried!.RoomId, queried.ParticipantId, queried.Permissions!.Single()));
        Assert.InRange(queried.ExpiresAt!.Value - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(540), TimeSpan.FromSeconds(660));
    }

    /// <summary>
    /// The caveat docs/clients.md gives: Kiota's retry handler resends a create on 504, and VideoSDK makes a room each
    /// time; with the retry option docs/clients.md shows, one call makes one room.
    /// </summary>
    [Fact]
    public async Task Kiota_resends_a_timed_out_create_unless_retries_are_off_as_the_docs_show()
    {
        using var retriesOff = new KiotaSession(workers, "retries off");
        using var retriesOn = new KiotaSession(workers, "retries on");

        var once = await Assert.ThrowsAsync<Problem>(() => retriesOff.Anonymous.Rooms.PostAsync(CreateTimingOut("retries-off"), config =>
        {
            retriesOff.From(config);
            config.Options.Add(new RetryHandlerOption { MaxRetry = 0 });
        }));
        // Kiota's defaults, except no wait between attempts, to keep the test short.
        var resent = await Assert.ThrowsAsync<AggregateException>(() => retriesOn.Anonymous.Rooms.PostAsync(CreateTimingOut("retries-on"), config =>
        {
            retriesOn.From(config);
            config.Options.Add(new RetryHandlerOption { Delay = 0 });
        }));

        Assert.Equal((504, "upstream_timeout"), (once.ResponseStatusCode, once.Code));
        Assert.All(resent.InnerExceptions, e => Assert.Equal(504, Assert.IsAssignableFrom<ApiException>(e).ResponseStatusCode));
        Assert.Equal(1, Creates("retries-off"));
        Assert.Equal(1 + new RetryHandlerOption().MaxRetry, Creates("retries-on"));

        static CreateRoomRequest CreateTimingOut(string marker) =>
            new() { Webhook = new Webhook { EndPoint = $"https://hooks.contoso.test/{ContractWorkers.UpstreamTimesOut}/{marker}" } };

        int Creates(string marker) =>
            workers.Anonymous.VideoSdk.Requests.Count(r => r.Method == "POST" && r.Body.Contains(marker, StringComparison.Ordinal));
    }

    private static void AssertStatusAndCode(string key, int status, string? code)
    {
        var documented = Contract.Responses.Single(r => r.Key == key);
        Assert.True((int)documented.Status == status, $"{key}: answered {status}");
        if (documented.ErrorCodes.Count > 0)
        {
            Assert.True(code is not null && documented.ErrorCodes.Contains(code), $"{key}: code {code} is not one the contract documents there");
        }
    }

    private static async Task AssertValidAgainstTheContractAsync(string answersFile)
    {
        var validation = await ContractTooling.NodeAsync("validate-answers.mjs", answersFile);
        Assert.True(validation.ExitCode == 0, "answers that do not match the contract's schema: " + validation);
    }

    private const string Room = "abcd-efgh-ijkl";

    private static async Task<object?> Read<T>(Task<T> call) => await call;

    /// <summary>The call as often as the rate limit allows, then once more: the answer to that one.</summary>
    private static async Task<object?> UntilRefusedAsync(Func<Task<TokenResponse?>> call)
    {
        for (var i = 0; i < ContractWorkers.RateLimit; i++)
        {
            await call();
        }

        return await call();
    }
    private static readonly string Big = new('a', 5000);

    /// <summary>
    /// One call per documented answer through the Kiota client. A method the contract does not offer on a path
    /// cannot be called through the generated builders: those go through the same request adapter with the
    /// builder's request information and another method.
    /// </summary>
    private static readonly (string Key, Func<KiotaSession, Task<object?>> Call)[] KiotaScenarios =
    [
        ("GET /token 200", s => Read(s.Anonymous.Token.GetAsync(c => { s.From(c); c.QueryParameters.Permissions = [Permission.Allow_join]; c.QueryParameters.RoomId = Room; }))),
        ("GET /token 400", s => Read(s.Anonymous.Token.GetAsync(c => { s.From(c); c.QueryParameters.TtlSeconds = 1; }))),
        ("GET /token 401", s => Read(s.Bearer.Token.GetAsync())),
        ("GET /token 403", s => Read(s.Anonymous.Token.GetAsync(c => { s.From(c); c.QueryParameters.Permissions = [Permission.Allow_mod]; }))),
        ("GET /token 405", s => s.OtherMethodAsync(s.Anonymous.Token.ToGetRequestInformation(s.From), Method.PUT)),
        ("GET /token 414", s => Read(s.Anonymous.Token.GetAsync(c => { s.From(c); c.QueryParameters.RoomId = Big; }))),
        ("GET /token 429", s => UntilRefusedAsync(() => s.Anonymous.Token.GetAsync(s.SameAddress))),
        ("GET /token 503", s => Read(s.EmptyVault.Token.GetAsync())),
        ("POST /token 200", s => Read(s.Anonymous.Token.PostAsync(new TokenRequest { RoomId = Room, ParticipantId = "user-42", TtlSeconds = 3600, Permissions = [Permission.Allow_join] }, s.From))),
        ("POST /token 400", s => Read(s.Anonymous.Token.PostAsync(new TokenRequest { RoomId = "a b" }, s.From))),
        ("POST /token 401", s => Read(s.Bearer.Token.PostAsync(new TokenRequest(), c => c.Headers.Add("Authorization", "Bearer not-a-jwt")))),
        ("POST /token 403", s => Read(s.Bearer.Token.PostAsync(new TokenRequest { ParticipantId = "bob" }, s.AsAlice))),
        ("POST /token 405", s => s.OtherMethodAsync(s.Anonymous.Token.ToPostRequestInformation(new TokenRequest(), s.From), Method.DELETE)),
        ("POST /token 413", s => Read(s.Anonymous.Token.PostAsync(new TokenRequest { RoomId = Big }, s.From))),
        ("POST /token 414", s => s.WithLongQueryAsync(s.Anonymous.Token.ToPostRequestInformation(new TokenRequest(), s.From))),
        ("POST /token 415", s => s.AsPlainTextAsync(s.Anonymous.Token.ToPostRequestInformation(new TokenRequest(), s.From))),
        ("POST /token 429", s => UntilRefusedAsync(() => s.Anonymous.Token.PostAsync(new TokenRequest(), s.SameAddress))),
        ("POST /token 503", s => Read(s.EmptyVault.Token.PostAsync(new TokenRequest()))),
        ("POST /rooms 201", s => Read(s.Anonymous.Rooms.PostAsync(new CreateRoomRequest { CustomRoomId = "kiota-standup" }, s.From))),
        ("POST /rooms 400", s => Read(s.Anonymous.Rooms.PostAsync(new CreateRoomRequest { CustomRoomId = ContractWorkers.UpstreamRejects }, s.From))),
        ("POST /rooms 401", s => Read(s.Bearer.Rooms.PostAsync(new CreateRoomRequest()))),
        ("POST /rooms 403", s => Read(s.Bearer.Rooms.PostAsync(new CreateRoomRequest(), s.AsAlice))),
        ("POST /rooms 405", s => s.OtherMethodAsync(s.Anonymous.Rooms.ToPostRequestInformation(new CreateRoomRequest(), s.From), Method.PATCH)),
        ("POST /rooms 413", s => Read(s.Anonymous.Rooms.PostAsync(new CreateRoomRequest { CustomRoomId = Big }, s.From))),
        ("POST /rooms 415", s => s.AsPlainTextAsync(s.Anonymous.Rooms.ToPostRequestInformation(new CreateRoomRequest(), s.From))),
        ("POST /rooms 429", s => Read(s.Anonymous.Rooms.PostAsync(new CreateRoomRequest { CustomRoomId = ContractWorkers.UpstreamRateLimited }, s.From))),
        ("POST /rooms 502", s => Read(s.Anonymous.Rooms.PostAsync(new CreateRoomRequest { CustomRoomId = ContractWorkers.UpstreamRefusesCredentials }, s.From))),
        ("POST /rooms 503", s => Read(s.EmptyVault.Rooms.PostAsync(new CreateRoomRequest()))),
        ("POST /rooms 504", s => Read(s.Anonymous.Rooms.PostAsync(new CreateRoomRequest { CustomRoomId = ContractWorkers.UpstreamTimesOut }, s.From))),
        ("GET /rooms/{roomId} 200", s => Read(s.Anonymous.Rooms["kiota-standup"].GetAsync(s.From))),
        ("GET /rooms/{roomId} 400", s => Read(s.Anonymous.Rooms["a b"].GetAsync(s.From))),
        ("GET /rooms/{roomId} 401", s => Read(s.Bearer.Rooms[Room].GetAsync(c => c.Headers.Add("Authorization", "Bearer not-a-jwt")))),
        ("GET /rooms/{roomId} 404", s => Read(s.Anonymous.Rooms["kiota-no-such-room"].GetAsync(s.From))),
        ("GET /rooms/{roomId} 405", s => s.OtherMethodAsync(s.Anonymous.Rooms[Room].ToGetRequestInformation(s.From), Method.PUT)),
        ("GET /rooms/{roomId} 429", s => Read(s.Anonymous.Rooms[ContractWorkers.UpstreamRateLimited].GetAsync(s.From))),
        ("GET /rooms/{roomId} 502", s => Read(s.Anonymous.Rooms[ContractWorkers.UpstreamRefusesCredentials].GetAsync(s.From))),
        ("GET /rooms/{roomId} 503", s => Read(s.EmptyVault.Rooms[Room].GetAsync())),
        ("GET /rooms/{roomId} 504", s => Read(s.Anonymous.Rooms[ContractWorkers.UpstreamTimesOut].GetAsync(s.From))),
        ("GET /health 200", s => Read(s.Anonymous.Health.GetAsync())),
        ("GET /health 405", s => s.OtherMethodAsync(s.Anonymous.Health.ToGetRequestInformation(), Method.POST)),
        ("GET /health 503", s => Read(s.EmptyVault.Health.GetAsync())),
    ];

    /// <summary>Kiota clients for the three workers, with the raw answer of this scenario's last call recorded.</summary>
    private sealed class KiotaSession : IDisposable
    {
        private static int _addresses;
        private readonly string _key;
        private readonly string _address = $"203.0.113.{Interlocked.Increment(ref _addresses)}";
        private readonly List<HttpClient> _clients = [];
        private readonly string _aliceToken;
        private readonly HttpClientRequestAdapter _anonymousAdapter;

        public KiotaSession(ContractWorkers workers, string key)
        {
            _key = key;
            _aliceToken = workers.Bearer.Provider.IssueToken("alice");
            _anonymousAdapter = CreateAdapter(workers.Anonymous.BaseAddress);
            Anonymous = new TokenFunctionClient(_anonymousAdapter);
            EmptyVault = new TokenFunctionClient(CreateAdapter(workers.EmptyVault.BaseAddress));
            Bearer = new TokenFunctionClient(CreateAdapter(workers.Bearer.BaseAddress));
        }

        public TokenFunctionClient Anonymous { get; }

        public TokenFunctionClient EmptyVault { get; }

        public TokenFunctionClient Bearer { get; }

        public RecordedAnswer? Answer { get; private set; }

        /// <summary>From this scenario's own client address (the anonymous rate limit is per address).</summary>
        public void From<T>(RequestConfiguration<T> config) where T : class, new() => config.Headers.Add("X-Forwarded-For", _address);

        public void SameAddress<T>(RequestConfiguration<T> config) where T : class, new() => From(config);

        public void AsAlice<T>(RequestConfiguration<T> config) where T : class, new() => config.Headers.Add("Authorization", "Bearer " + _aliceToken);

        /// <summary>The scenario's status and what the client handed back: the typed value, or the typed error it threw.</summary>
        public async Task<(int Status, object? Typed)> RunAsync(Func<KiotaSession, Task<object?>> scenario)
        {
            try
            {
                var value = await scenario(this);
                return (Answer?.Status ?? 0, value);
            }
            catch (ApiException error) when (error is Problem or Health)
            {
                return (error.ResponseStatusCode, error);
            }
        }

        public async Task<object?> OtherMethodAsync(RequestInformation request, Method method)
        {
            request.HttpMethod = method;
            return await _anonymousAdapter.SendAsync(request, TokenResponse.CreateFromDiscriminatorValue,
                new Dictionary<string, ParsableFactory<IParsable>> { ["405"] = Problem.CreateFromDiscriminatorValue });
        }

        /// <summary>The POST operation declares no query parameters, so the builder cannot add the over-long one.</summary>
        public async Task<object?> WithLongQueryAsync(RequestInformation request)
        {
            request.URI = new Uri(request.URI + "?roomId=" + Big);
            return await _anonymousAdapter.SendAsync(request, TokenResponse.CreateFromDiscriminatorValue,
                new Dictionary<string, ParsableFactory<IParsable>> { ["414"] = Problem.CreateFromDiscriminatorValue });
        }

        public async Task<object?> AsPlainTextAsync(RequestInformation request)
        {
            request.Headers.Remove("Content-Type");
            request.Headers.Add("Content-Type", "text/plain");
            return await _anonymousAdapter.SendAsync(request, TokenResponse.CreateFromDiscriminatorValue,
                new Dictionary<string, ParsableFactory<IParsable>> { ["415"] = Problem.CreateFromDiscriminatorValue });
        }

        public void Dispose()
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }

        private HttpClientRequestAdapter CreateAdapter(Uri worker)
        {
            // Kiota's default handlers, but no retries: the scenarios ask for 429, 503 and 504 on purpose.
            var handlers = KiotaClientFactory.CreateDefaultHandlers([new RetryHandlerOption { MaxRetry = 0 }]);
            handlers.Add(new Recorder(this));
            var http = KiotaClientFactory.Create(handlers);
            _clients.Add(http);
            return new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http)
            {
                BaseUrl = new Uri(worker, "api").ToString(),
            };
        }

        /// <summary>Last in the chain, next to the network: records the raw answer, then lets Kiota read it.</summary>
        private sealed class Recorder(KiotaSession session) : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var response = await base.SendAsync(request, cancellationToken);
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                var parts = session._key.Split(' ');
                session.Answer = new RecordedAnswer(session._key, parts[0], parts.ElementAtOrDefault(1) ?? "", (int)response.StatusCode,
                    response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync(cancellationToken));
                return response;
            }
        }
    }
}
