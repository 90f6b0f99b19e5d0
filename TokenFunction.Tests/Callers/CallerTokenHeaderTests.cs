using System.Net;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using TokenFunction.Callers;

namespace TokenFunction.Tests.Callers;

/// <summary>
/// Tokens validly signed by a published key that must still be refused: an audience that differs only by a trailing
/// slash, no kid, a kid naming no published key, any crit header. The stand-in signs them (a real provider will not).
/// </summary>
public sealed class CallerTokenHeaderTests : StandInProviderTests
{
    public static TheoryData<string, string> Cases => new()
    {
        // case, words the reason must hold
        { "audience with a trailing slash", "wrong audience" },
        { "audience in another case", "wrong audience" },
        { "no kid", "no kid" },
        { "kid of no published key, signed by a published one", "unknown signing key" },
        { "crit [\"exp\"]", "crit" },
        { "crit []", "crit" },
        { "crit null", "crit" },
        { "crit \"b64\"", "crit" },
        { "crit after a header member that is an object", "crit" },
    };

    [Fact]
    public async Task The_same_token_well_formed_is_accepted() =>
        Assert.Equal(HttpStatusCode.OK, (await CallerApp.PostAsync(Provider.IssueToken())).Status);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_validly_signed_token_is_still_refused_with_401_saying_why(string broken, string reason)
    {
        var token = Break(broken);

        var response = await CallerApp.PostAsync(token);

        var problem = response.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_invalid");
        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(reason, response.Header("WWW-Authenticate"), StringComparison.Ordinal);
        CallerApp.AssertNoTokenIssued();
        AssertRefusalLogged(reason);
    }

    [Fact]
    public async Task A_request_without_a_bearer_token_is_refused_and_the_refusal_logged_with_its_reason()
    {
        var response = await CallerApp.PostAsync(bearerToken: null);

        var detail = response.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_missing").GetProperty("detail").GetString()!;
        AssertRefusalLogged(detail);
    }

    [Fact]
    public async Task Three_parts_that_are_no_JWT_are_refused_with_401_not_an_error()
    {
        var response = await CallerApp.PostAsync("not.a.jwt");

        response.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_invalid");
        CallerApp.AssertNoTokenIssued();
    }

    [Fact]
    public async Task A_token_with_two_unusable_claims_is_refused_for_the_participant_id_first()
    {
        var token = Provider.IssueToken(customize: d => d.Claims = new Dictionary<string, object> { ["roles"] = 7 });

        var response = await CallerApp.PostAsync(token);

        var detail = response.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_invalid").GetProperty("detail").GetString()!;
        Assert.Contains("its 'sub' claim is missing", detail, StringComparison.Ordinal);
        AssertRefusalLogged("its 'sub' claim is missing");
    }

    public static TheoryData<string, (string Name, string Value)[], string, string> BadAuthorizationHeaders => new()
    {
        // what the caller sent, its Authorization headers; the code and the reason they get
        { "two headers", [("Authorization", "Bearer a.b.c"), ("Authorization", "Bearer d.e.f")], "caller_token_invalid", "send exactly one Authorization header" },
        { "no token after the scheme", [("Authorization", "Bearer    ")], "caller_token_missing", "The Authorization header holds no token after 'Bearer'." },
        { "the scheme alone, in another case", [("Authorization", "bearer")], "caller_token_missing", "The Authorization header holds no token after 'Bearer'." },
        { "another scheme", [("Authorization", "Basic dXNlcjpwYXNz")], "caller_token_missing", "The Authorization header must use the Bearer scheme" },
        { "one character too long", [("Authorization", "Bearer " + new string('a', BearerTokenReader.MaxTokenLength + 1))], "caller_token_invalid", "the token is longer than 16384 characters" },
    };

    [Theory]
    [MemberData(nameof(BadAuthorizationHeaders))]
    public async Task An_Authorization_header_of_the_wrong_shape_is_refused_saying_what_to_send(
        string shape, (string Name, string Value)[] headers, string code, string reason)
    {
        var response = await CallerApp.PostAsync(null, "{}", headers);

        var detail = response.AssertProblem(HttpStatusCode.Unauthorized, code).GetProperty("detail").GetString()!;
        Assert.True(detail.Contains(reason, StringComparison.Ordinal), $"{shape}: {detail}");
        CallerApp.AssertNoTokenIssued();
    }

    [Fact]
    public async Task A_token_of_exactly_the_maximum_length_is_read_and_judged_on_its_content()
    {
        var response = await CallerApp.PostAsync(new string('a', BearerTokenReader.MaxTokenLength));

        var detail = response.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_invalid").GetProperty("detail").GetString()!;
        Assert.DoesNotContain("longer than", detail, StringComparison.Ordinal);
    }

    /// <summary>An operator's view: event 3001 (Debug) carries the reason the caller was given.</summary>
    private void AssertRefusalLogged(string reason) =>
        Assert.Contains(CallerApp.App.Logs, log => log.Id.Id == 3001
            && log.GetStructuredStateValue("Reason")?.Contains(reason, StringComparison.Ordinal) == true);

    private string Break(string broken) => broken switch
    {
        "audience with a trailing slash" => Provider.IssueToken(customize: d => d.Audience = OpenIdProviderStandIn.Audience + "/"),
        "audience in another case" => Provider.IssueToken(customize: d => d.Audience = OpenIdProviderStandIn.Audience.ToUpperInvariant()),
        "no kid" => Provider.IssueToken(key: new RsaSecurityKey(Provider.RsaKey.Rsa)),
        "kid of no published key, signed by a published one" =>
            Provider.IssueToken(key: new RsaSecurityKey(Provider.RsaKey.Rsa) { KeyId = "rsa-not-published" }),
        "crit after a header member that is an object" => Provider.IssueToken(customize: d => d.AdditionalHeaderClaims = new Dictionary<string, object>
        {
            ["ext"] = JsonDocument.Parse("""{"nested":{"deeper":[1,2]}}""").RootElement.Clone(),
            ["crit"] = JsonDocument.Parse("""["exp"]""").RootElement.Clone(),
        }),
        _ => Provider.IssueToken(customize: d => d.AdditionalHeaderClaims = new Dictionary<string, object>
        {
            ["crit"] = JsonDocument.Parse(broken["crit ".Length..]).RootElement.Clone(),
        }),
    };
}
