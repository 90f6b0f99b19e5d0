using System.Net;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TokenFunction.Functions;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Http;

public sealed class HostileRequestTests : IDisposable
{
    private static readonly string[] EntitledPermissions = ["allow_join", "ask_join"];

    /// <summary>No refusal may be an amplifier: a few KB at most, whatever was sent.</summary>
    private const int MaxProblemBytes = 4 * 1024;

    // Room creation open to anonymous callers, so a create request reaches its body; VideoSDK's address is a closed
    // port: a request that wrongly got past the parser fails the test as a 5xx instead of creating anything.
    private readonly TestApp _app = new(new Dictionary<string, string?>
    {
        ["Rooms:AllowCreate"] = "true",
        ["Rooms:VideoSdkBaseUrl"] = "http://127.0.0.1:9/",
    });

    public void Dispose() => _app.Dispose();

    public static TheoryData<HostileRequest> Corpus => new(HostileRequestCorpus.All());

    /// <summary>docs/security.md states the corpus size; the statement is checked against the corpus itself.</summary>
    [Fact]
    public void The_corpus_is_as_large_as_the_documentation_says_and_every_request_in_it_is_distinct()
    {
        var corpus = HostileRequestCorpus.All().ToArray();
        var documentation = File.ReadAllText(Path.Combine(Infra.InfraWorkspace.RepositoryRoot, "docs", "security.md"));

        var stated = System.Text.RegularExpressions.Regex.Match(documentation, @"hostile-request corpus holds \*\*(\d+)\*\* requests");

        Assert.True(stated.Success, "docs/security.md no longer states the corpus size");
        Assert.Equal(int.Parse(stated.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), corpus.Length);
        Assert.Equal(corpus.Length, corpus.Select(r => r.Name).Distinct().Count());
        Assert.Equal(corpus.Length, corpus.Select(r => r.Wire).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Every_hostile_request_gets_a_4xx_problem_and_no_token(HostileRequest hostile)
    {
        var headers = hostile.ContentType is null ? [] : new[] { new KeyValuePair<string, string>("Content-Type", hostile.ContentType) };
        var request = FakeHttpRequestData.Create(hostile.Method, hostile.PathAndQuery, hostile.Body, headers);

        var response = ReadResponse.From(hostile.PathAndQuery.StartsWith(HostileRequestCorpus.RoomsPath, StringComparison.Ordinal)
            ? await _app.InvokeAsync<RoomsFunction>(RoomsFunction.CreateName, request, f => f.CreateAsync(request, CancellationToken.None))
            : await _app.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None)));

        Assert.InRange((int)response.Status, 400, 499);
        response.AssertProblem(response.Status, hostile.ExpectedCode ?? response.Json.GetProperty("code").GetString()!);
        Assert.InRange(Encoding.UTF8.GetByteCount(response.Body), 1, MaxProblemBytes);
        Assert.DoesNotContain(_app.Logs, r => r.Id.Id == 2001);
    }

    [Fact]
    public async Task Two_hundred_fifty_unknown_parameters_draw_the_first_20_errors_and_a_count_of_the_rest()
    {
        var query = string.Join("&", Enumerable.Range(0, 250).Select(i => $"u{i}=1"));
        var request = FakeHttpRequestData.Create("GET", "/api/token?" + query);

        var response = ReadResponse.From(await _app.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None)));

        var problem = response.AssertProblem(HttpStatusCode.BadRequest, "unknown_field");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"u{i}"), problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
        Assert.Equal(230, problem.GetProperty("errorsOmitted").GetInt32());
        Assert.Contains("and 249 more", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Random byte-level mutations of a valid body: whatever survives parsing may get a token, but never
    /// one beyond what this service grants (no moderator rights, lifetime within bounds), and nothing is a 5xx.
    /// </summary>
    [Property(MaxTest = 300)]
    public void Mutated_requests_never_yield_a_5xx_or_an_unentitled_token(NonNegativeInt position, byte value, bool insert)
    {
        var valid = Encoding.UTF8.GetBytes("""{"permissions":["allow_join"],"roomId":"abcd-efgh-ijkl","participantId":"u-1","ttlSeconds":600}""");
        var index = position.Get % valid.Length;
        var mutated = insert ? [.. valid[..index], value, .. valid[index..]] : valid.ToArray();
        if (!insert)
        {
            mutated[index] = value;
        }

        var request = FakeHttpRequestData.Create("POST", body: mutated, headers: [new("Content-Type", "application/json")]);
        var response = ReadResponse.From(_app.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None)).GetAwaiter().GetResult());

        if (response.Status != HttpStatusCode.OK)
        {
            Assert.InRange((int)response.Status, 400, 499);
            return;
        }

        var (_, payload) = IndependentTokenVerifier.Verify(response.Json.GetProperty("token").GetString()!, TestApp.ApiSecret);
        Assert.All(payload.GetProperty("permissions").EnumerateArray(), p => Assert.Contains(p.GetString(), EntitledPermissions));
        Assert.InRange(payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64(), 60, 86_400);
        Assert.Equal(["rtc"], payload.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }
}
