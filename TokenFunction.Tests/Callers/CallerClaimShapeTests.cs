using System.Net;
using System.Text.Json;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Callers;

/// <summary>
/// Validly signed caller tokens whose identity or roles claim has the wrong JSON type or shape: each is refused
/// with 401 caller_token_invalid naming the claim, never a 500, never read leniently (a number as an id).
/// </summary>
public sealed class CallerClaimShapeTests : IAsyncLifetime, IDisposable
{
    private OpenIdProviderStandIn _provider = null!;
    private CallerTestApp _app = null!;

    public async Task InitializeAsync()
    {
        _provider = await OpenIdProviderStandIn.StartAsync();
        _app = new CallerTestApp(_provider);
    }

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    public void Dispose() => _app.Dispose();

    /// <summary>JSON values a provider could put in a claim, as JSON text.</summary>
    private static readonly string[] WrongForAnIdentifier =
        ["null", "42", "-1", "1.5", "true", "false", "{}", "{\"id\":\"alice\"}", "[]", "[\"alice\"]", "\"\"", $"\"{new string('a', 129)}\""];

    private static readonly string[] WrongForRoles =
        ["null", "42", "true", "{}", "{\"role\":\"moderator\"}", "[\"moderator\",1]", "[\"moderator\",null]", "[[\"moderator\"]]",
            "[{\"name\":\"moderator\"}]", "\"\"", "[\"\"]", "[\"moderator\",true]"];

    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var value in WrongForAnIdentifier)
            {
                data.Add("sub", value);
            }

            foreach (var value in WrongForRoles)
            {
                data.Add("roles", value);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_claim_of_the_wrong_type_or_shape_is_401_naming_the_claim(string claim, string json)
    {
        var token = _provider.IssueToken(customize: d => d.Claims[claim] = JsonDocument.Parse(json).RootElement.Clone());

        var response = await _app.PostAsync(token);

        var problem = response.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_invalid");
        Assert.Contains($"'{claim}' claim", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains($"'{claim}' claim", response.Header("WWW-Authenticate"), StringComparison.Ordinal);
        _app.AssertNoTokenIssued();
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"moderator\"")]
    [InlineData("[\"moderator\"]")]
    [InlineData("[\"moderator\",\"other\"]")]
    public async Task Roles_as_a_string_or_an_array_of_strings_are_read(string json)
    {
        var token = _provider.IssueToken("alice", customize: d => d.Claims["roles"] = JsonDocument.Parse(json).RootElement.Clone());

        var response = await _app.PostAsync(token, """{"permissions":["allow_join","allow_mod"]}""");

        Assert.Equal(json.Contains("moderator", StringComparison.Ordinal) ? HttpStatusCode.OK : HttpStatusCode.Forbidden, response.Status);
    }
}
