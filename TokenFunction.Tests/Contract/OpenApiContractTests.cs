using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;
using TokenFunction.Problems;

namespace TokenFunction.Tests.Contract;

/// <summary>
/// openapi/openapi.yaml against the code, both ways: the error catalogue, the functions' routes, methods and
/// key requirements, every documented status and header produced for real (<see cref="ContractScenarios"/>), and
/// every example the answer the service gives to its request.
/// </summary>
public sealed class OpenApiContractTests
{
    private static readonly PublishedContract Contract = PublishedContract.Load();

    [Fact]
    public void The_problem_examples_show_exactly_the_catalogue_one_example_per_code()
    {
        var shown = Contract.Examples.Values.Select(example => example["code"]?.GetValue<string>()).OfType<string>().ToArray();
        Assert.Equal(ErrorCodes.All.Select(e => e.Code).Order(), shown.Order());
    }

    [Fact]
    public void Each_response_description_names_the_codes_its_examples_show()
    {
        var unnamed = from response in Contract.Responses
                      from code in response.ErrorCodes
                      where !response.Description.Contains($"`{code}`", StringComparison.Ordinal)
                      select $"{response.Key}: {code}";

        Assert.Empty(unnamed);
    }

    [Fact]
    public void The_code_schema_is_an_open_string_and_says_unknown_codes_must_be_tolerated()
    {
        var problem = Contract.Document.Components!.Schemas!["Problem"];
        var code = problem.Properties!["code"];
        Assert.Equal(JsonSchemaType.String, code.Type);
        Assert.Null(code.Enum);
        Assert.Contains("must tolerate codes they do not know", code.Description, StringComparison.Ordinal);
        Assert.Contains("must tolerate codes they do not know", Contract.Document.Info.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_operation_says_whether_it_is_safe_to_retry_and_only_createRoom_is_not()
    {
        var hints = Contract.Operations.ToDictionary(op => op.Operation.OperationId!,
            op => op.Operation.Extensions?.TryGetValue(PublishedContract.RetrySafeExtension, out var hint) == true
                ? ((JsonNodeExtension)hint).Node.GetValue<bool>()
                : (bool?)null);

        Assert.DoesNotContain(null, hints.Values);
        Assert.Equal(["createRoom"], hints.Where(h => h.Value == false).Select(h => h.Key));
    }

    [Fact]
    public void Every_catalogued_code_is_documented_on_a_response_with_its_status()
    {
        var undocumented = ErrorCodes.All
            .Where(error => !Contract.Responses.Any(r => r.Status == error.Status && r.ErrorCodes.Contains(error.Code)))
            .Select(error => $"{error.Code} ({(int)error.Status})");

        Assert.Empty(undocumented);
    }

    [Fact]
    public void Every_documented_code_exists_in_the_catalogue_with_the_status_it_is_documented_under()
    {
        var wrong = from response in Contract.Responses
                    from code in response.ErrorCodes
                    let error = ErrorCodes.All.SingleOrDefault(e => e.Code == code)
                    where error is null || error.Status != response.Status
                    select $"{response.Key}: {code}";

        Assert.Empty(wrong);
    }

    [Fact]
    public void Every_function_has_its_path_and_every_path_a_function()
    {
        Assert.Equal(
            HttpFunctionSurface.All.Select(f => f.Path).Order(StringComparer.Ordinal),
            Contract.Document.Paths.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Documented_methods_are_ones_the_function_accepts_and_key_requirements_match_the_auth_level()
    {
        foreach (var (path, method, operation) in Contract.Operations)
        {
            var function = HttpFunctionSurface.All.Single(f => f.Path == path);
            Assert.True(function.Methods is null || function.Methods.Contains(method), $"{method} {path} is not accepted by {function.Name}");
            Assert.True(function.AuthLevel != AuthorizationLevel.Anonymous == Contract.RequiresFunctionKey(operation),
                $"{method} {path}: documented key requirement does not match {function.Name}'s auth level {function.AuthLevel}");
        }
    }

    [Fact]
    public void Platform_answers_are_documented_only_where_the_host_gives_them()
    {
        // The host answers 401 for a missing or wrong key before the app runs (shown by the end-to-end tests).
        foreach (var response in Contract.Responses.Where(r => r.ProducedByPlatform))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
            Assert.NotEqual(AuthorizationLevel.Anonymous, HttpFunctionSurface.All.Single(f => f.Path == response.Path).AuthLevel);
        }

        var keyed = Contract.Operations.Where(op => Contract.RequiresFunctionKey(op.Operation)).Select(op => $"{op.Method} {op.Path} 401");
        Assert.Equal(keyed.Order(), Contract.Responses.Where(r => r.ProducedByPlatform).Select(r => r.Key).Order());
    }

    [Fact]
    public void Every_documented_app_response_has_a_scenario_and_every_scenario_is_documented() =>
        Assert.Equal(
            Contract.Responses.Where(r => !r.ProducedByPlatform).Select(r => r.Key).Order(StringComparer.Ordinal),
            ContractScenarios.ByResponse.Keys.Order(StringComparer.Ordinal));

    public static TheoryData<string> ScenarioKeys => new(ContractScenarios.ByResponse.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(ScenarioKeys))]
    public async Task Each_documented_response_is_produced_with_a_documented_code_and_the_documented_headers(string key)
    {
        var documented = Contract.Responses.Single(r => r.Key == key);

        var response = await ContractScenarios.ByResponse[key]();

        Assert.Equal(documented.Status, response.Status);
        if (documented.ErrorCodes.Count > 0)
        {
            var code = response.Json.GetProperty("code").GetString();
            Assert.Contains(code, documented.ErrorCodes);
            response.AssertProblem(documented.Status, code!);
        }

        Assert.All(documented.RequiredHeaders, header => Assert.NotNull(response.Header(header)));
        var undocumented = response.Headers.Keys.Where(h => h != "Content-Type" && !documented.Headers.Contains(h, StringComparer.OrdinalIgnoreCase));
        Assert.Empty(undocumented);
    }

    [Theory]
    [InlineData("/token", ContractScenarios.TokenRequestExample)]
    [InlineData("/rooms", ContractScenarios.CreateRoomRequestExample)]
    public void The_request_examples_are_the_requests_behind_the_answer_examples(string path, string sent)
    {
        var post = Contract.Operations.Single(op => op.Path == path && op.Method == "POST").Operation;
        var example = Assert.Single(post.RequestBody!.Content!["application/json"].Examples!).Value.Value!;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(sent), example), $"{path}: the request example is not {sent}");
    }

    public static TheoryData<string> ExampleNames => new(ContractScenarios.ByExample.Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void Every_named_example_has_the_request_that_produces_it() =>
        Assert.Equal(Contract.Examples.Keys.Order(StringComparer.Ordinal), ContractScenarios.ByExample.Keys.Order(StringComparer.Ordinal));

    /// <summary>
    /// The examples are answers the service gave: the same request gives the same body today, except what
    /// differs on every call (a trace id, a token and its expiry, a room id VideoSDK picks).
    /// </summary>
    [Theory]
    [MemberData(nameof(ExampleNames))]
    public async Task Each_example_is_what_the_service_answers_to_its_request(string name)
    {
        var example = Contract.Examples[name].AsObject();

        var response = await ContractScenarios.ByExample[name]();

        var actual = JsonNode.Parse(response.Body)!.AsObject();
        var perCall = name == "CreatedRoom" ? ["traceId", "token", "expiresAt", "roomId"] : (string[])["traceId", "token", "expiresAt"];
        var presence = perCall.Select(member => (member, example.Remove(member), actual.Remove(member))).ToArray();

        Assert.True(JsonNode.DeepEquals(example, actual) && presence.All(p => p.Item2 == p.Item3),
            $"example {name} is not the real answer {response.Body}");
    }
}
