using System.Net;
using System.Text;
using System.Text.Json;
using TokenFunction.Functions;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Http;

/// <summary>One request's fields, written once as a JSON body (POST) and once as a query string (GET).</summary>
public sealed record TwoForms(string Name, string Field, string Body, string Query)
{
    public override string ToString() => Name;
}

/// <summary>
/// One reading of a value wherever it comes from: for every field of the token request, generated values (valid ones,
/// and each way of being invalid: case, Unicode and ASCII white space around or inside, lookalikes, lengths,
/// integers written as fractions or exponents...) are sent as a JSON body and as a query string, and the two answers
/// must be the same: the same status and codes for each field, or the same token. Values are percent-encoded in the
/// query as RFC 3986 says (a form's <c>+</c> is a space there, so a value's <c>+</c> is sent as <c>%2B</c>). Left out, as
/// the query cannot write them: a JSON type other than the field's, <c>null</c>, a permission holding a comma, and
/// <c>[""]</c> (the empty query value is the empty list).
/// </summary>
public sealed class QueryBodyAgreementTests(QueryBodyAgreementTests.App app) : IClassFixture<QueryBodyAgreementTests.App>
{
    /// <summary>The default configuration, but for a rate limit no generated corpus reaches.</summary>
    public sealed class App : IDisposable
    {
        public TestApp Test { get; } = new(TestApp.UnlimitedRate());

        public void Dispose() => Test.Dispose();
    }

    private static readonly string[] PermissionWords =
    [
        "allow_join", "ask_join", "allow_mod", "ALLOW_JOIN", "Allow_Join", "allow-join", "allowjoin", "", " ", "join", "crawler", "rtc",
        " allow_join", "allow_join ", "\tallow_join", "allow_join\n", "\u00a0allow_join", "allow_join\u00a0", "\u2003ask_join", "ask_join\u3000",
        "\u200ballow_join", "allow_join\u200b", "\ufeffallow_join", "allow_join\u0000", "ａｌｌｏｗ_ｊｏｉｎ", "allow_joın", "allow_join%",
    ];

    private static readonly string[] RoomIds =
    [
        "abcd-efgh-ijkl", "a", "A_Z-09", new string('r', 128), new string('r', 129), "", " abcd-efgh-ijkl", "abcd-efgh-ijkl ",
        "\u00a0abcd", "abcd\u2003", "ab cd", "ab+cd", "ab%cd", "ab&cd", "ab=cd", "ab#cd", "ab?cd", "ab/cd", "ab.cd", "ab\tcd", "abcd\n",
        "ａｂｃｄ", "abcd\u200b", "abcd\u0000", "e\u0301", "😀",
    ];

    private static readonly string[] ParticipantIds =
    [
        "u-1", "auth0|abc", "a+b", "a.b@c:d|e+f=g~h", "user_42", new string('p', 128), new string('p', 129), "", " u-1", "u-1 ", "\u00a0u-1",
        "u-1\u2003", "u 1", "u/1", "u%1", "u&1", "u#1", "u?1", "u,1", "u;1", "u\t1", "ｕ-1", "u-1\u200b", "u\u00001", "ü", "😀",
    ];

    private static readonly string[] Ttls =
    [
        "60", "59", "61", "3600", "86400", "86401", "604800", "604801", "0", "-0", "-60", "60.0", "6e1", "6E1", "6e+1", "600e-1", "1e3",
        "3600.5", "2147483647", "2147483648", "-2147483649", "99999999999999999999",
    ];

    /// <summary>Field names other than the four, and the four written otherwise.</summary>
    private static readonly string[] Names = ["RoomId", "ROOMID", "roomid", "roomId ", " roomId", "room\u00a0Id", "room_id", "ttl", "apikey", "permissions[]"];

    public static IReadOnlyList<TwoForms> Cases { get; } = Generate().ToArray();

    public static TheoryData<string> CaseNames => new(Cases.Select(c => c.Name));

    private static IEnumerable<TwoForms> Generate()
    {
        var lists = new List<string[]> { Array.Empty<string>() };
        lists.AddRange(PermissionWords.Where(w => w.Length > 0).Select(w => new[] { w }));
        lists.AddRange(from first in PermissionWords.Take(8) from second in PermissionWords.Take(8) select new[] { first, second });
        lists.Add(["allow_join", "ask_join", "allow_mod"]);
        lists.Add(["allow_join", "allow_join", "allow_join"]);
        foreach (var list in lists)
        {
            yield return new($"permissions {Show(JsonSerializer.Serialize(list))}", "permissions",
                $"{{\"permissions\":{JsonSerializer.Serialize(list)}}}", "permissions=" + string.Join(",", list.Select(Uri.EscapeDataString)));
        }

        foreach (var (field, values) in new[] { ("roomId", RoomIds), ("participantId", ParticipantIds) })
        {
            foreach (var value in values)
            {
                yield return new($"{field} {Show(JsonSerializer.Serialize(value))}", field,
                    $"{{\"{field}\":{JsonSerializer.Serialize(value)}}}", $"{field}={Uri.EscapeDataString(value)}");
            }
        }

        foreach (var ttl in Ttls)
        {
            yield return new($"ttlSeconds {ttl}", "ttlSeconds", $"{{\"ttlSeconds\":{ttl}}}", $"ttlSeconds={Uri.EscapeDataString(ttl)}");
        }

        foreach (var name in Names)
        {
            yield return new($"field {Show(JsonSerializer.Serialize(name))}", name,
                $"{{{JsonSerializer.Serialize(name)}:\"abcd\"}}", $"{Uri.EscapeDataString(name)}=abcd");
            yield return new($"roomId and {Show(JsonSerializer.Serialize(name))}", name,
                $"{{\"roomId\":\"abcd\",{JsonSerializer.Serialize(name)}:\"abcd\"}}", $"roomId=abcd&{Uri.EscapeDataString(name)}=abcd");
        }

        foreach (var (field, value) in new[] { ("permissions", "allow_join"), ("roomId", "abcd"), ("participantId", "u-1"), ("ttlSeconds", "600") })
        {
            var json = field == "permissions" ? "[\"allow_join\"]" : field == "ttlSeconds" ? value : $"\"{value}\"";
            yield return new($"{field} twice", field, $"{{\"{field}\":{json},\"{field}\":{json}}}", $"{field}={value}&{field}={value}");
        }

        yield return new("all four valid", "all", """{"permissions":["allow_join"],"roomId":"abcd","participantId":"u-1","ttlSeconds":600}""",
            "permissions=allow_join&roomId=abcd&participantId=u-1&ttlSeconds=600");
        yield return new("nothing", "none", "{}", "");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task The_body_and_the_query_get_the_same_answer(string name)
    {
        var forms = Cases.Single(c => c.Name == name);

        var body = Outcome(await Send(FakeHttpRequestData.Json(forms.Body)));
        var query = Outcome(await Send(FakeHttpRequestData.Create("GET", "/api/token" + (forms.Query.Length > 0 ? "?" + forms.Query : ""))));

        Assert.Equal(body, query);
    }

    /// <summary>The cases cover every field of the request, valid and invalid alike.</summary>
    [Fact]
    public async Task Every_field_has_accepted_and_refused_cases()
    {
        foreach (var field in TokenFunction.Tokens.TokenRequestFields.All)
        {
            var outcomes = new List<string>();
            foreach (var forms in Cases.Where(c => c.Field == field))
            {
                outcomes.Add(Outcome(await Send(FakeHttpRequestData.Json(forms.Body))));
            }

            Assert.Contains(outcomes, o => o.StartsWith("200", StringComparison.Ordinal));
            Assert.Contains(outcomes, o => o.StartsWith("400", StringComparison.Ordinal));
        }
    }

    private async Task<ReadResponse> Send(FakeHttpRequestData request) =>
        ReadResponse.From(await app.Test.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None)));

    /// <summary>What the caller learns, without what differs on every call: the status, each field's code, or the token's facts.</summary>
    private static string Outcome(ReadResponse response)
    {
        var json = response.Json;
        if (response.Status != HttpStatusCode.OK)
        {
            var errors = json.TryGetProperty("errors", out var list)
                ? string.Join(";", list.EnumerateArray().Select(e => $"{e.GetProperty("field").GetString()}={e.GetProperty("code").GetString()}"))
                : "";
            return $"{(int)response.Status} {json.GetProperty("code").GetString()} [{errors}]";
        }

        var (_, claims) = IndependentTokenVerifier.Verify(json.GetProperty("token").GetString()!, TestApp.ApiSecret);
        var lifetime = claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64();
        return $"200 {json.GetProperty("permissions")} {json.GetProperty("roomId")} {json.GetProperty("participantId")} {lifetime}s";
    }

    /// <summary>Case names stay printable and distinct.</summary>
    private static string Show(string value) => string.Concat(value.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString()));
}
