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

    private readonly TestApp _app = new();

    public void Dispose() => _app.Dispose();

    public static TheoryData<HostileRequest> Corpus => new(HostileRequestCorpus.All());

    [Fact]
    public void The_corpus_holds_at_least_200_distinct_requests()
    {
        var names = HostileRequestCorpus.All().Select(r => r.Name).ToArray();

        Assert.True(names.Length >= 200, $"only {names.Length} requests");
        Assert.Equal(names.Length, names.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Every_hostile_request_gets_a_4xx_problem_and_no_token(HostileRequest hostile)
    {
        var headers = hostile.ContentType is null ? [] : new[] { new KeyValuePair<string, string>("Content-Type", hostile.ContentType) };
        var request = FakeHttpRequestData.Create(hostile.Method, hostile.PathAndQuery, hostile.Body, headers);

        var response = ReadResponse.From(await _app.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None)));

        Assert.InRange((int)response.Status, 400, 499);
        response.AssertProblem(response.Status, response.Json.GetProperty("code").GetString()!);
        Assert.DoesNotContain(_app.Logs, r => r.Id.Id == 2001);
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
