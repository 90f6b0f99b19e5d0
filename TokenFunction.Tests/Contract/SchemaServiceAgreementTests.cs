using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using TokenFunction.Functions;
using TokenFunction.Tests.Rooms;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Contract;

/// <summary>
/// The contract as strict as the service: every request of <see cref="ContractRequestCorpus"/> is judged by the
/// contract's schemas (ajv, as the other contract checks) and sent to the service, and a request the schemas accept
/// must pass the service's shape rules (any answer but 400) while one they refuse must be a 400, for every field of
/// every operation. Out of this equivalence, as the contract says: what depends on the configuration or the caller.
/// The permissions a caller may get are a 403, not a shape rule; a participantId other than the signed-in caller's
/// needs bearer mode (these run anonymous); and the lifetime's upper bound is <c>Tokens:MaxTtlSeconds</c>, so under
/// the default configuration the lifetimes from 86401 to 604800 the contract allows are refused, and the whole corpus
/// runs again with the setting at its highest, where the two agree on every request.
/// </summary>
[Trait("Category", ContractTooling.Lane)]
public sealed class SchemaServiceAgreementTests
{
    private const int DefaultMaxTtlSeconds = 86400;
    private const int HighestMaxTtlSeconds = 604800;

    [Fact]
    public async Task Under_the_default_configuration_schema_valid_means_accepted_except_lifetimes_above_the_configured_maximum()
    {
        var judged = await JudgeAsync(new Dictionary<string, string?>());

        var disagreements = judged.Where(j => j.SchemaValid != j.Accepted).ToList();
        var configured = disagreements.Where(j => j.SchemaValid && j.Code == "ttl_out_of_range" && Ttl(j.Request) is > DefaultMaxTtlSeconds and <= HighestMaxTtlSeconds).ToList();
        Assert.True(disagreements.Count == configured.Count, Report(disagreements.Except(configured)));
        Assert.NotEmpty(configured);
    }

    [Fact]
    public async Task With_the_highest_configurable_lifetime_schema_valid_means_accepted_for_every_request()
    {
        var judged = await JudgeAsync(new Dictionary<string, string?> { ["Tokens:MaxTtlSeconds"] = HighestMaxTtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.True(judged.All(j => j.SchemaValid == j.Accepted), Report(judged.Where(j => j.SchemaValid != j.Accepted)));
    }

    /// <summary>Every parameter and body member of every operation (VideoSDK's typed members too) has cases both accept and both refuse.</summary>
    [Fact]
    public async Task The_corpus_covers_every_field_of_every_operation_with_accepted_and_refused_values()
    {
        var judged = await JudgeAsync(new Dictionary<string, string?> { ["Tokens:MaxTtlSeconds"] = HighestMaxTtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var uncovered = from field in ContractFields()
                        let cases = judged.Where(j => $"{j.Request.OperationId} {j.Request.Field}" == field).ToList()
                        where !cases.Any(j => j.SchemaValid && j.Accepted) || !cases.Any(j => !j.SchemaValid && !j.Accepted)
                        select field;
        Assert.Empty(uncovered);
    }

    private sealed record Judged(ContractRequest Request, bool SchemaValid, string SchemaErrors, bool Accepted, string Code);

    private static string Report(IEnumerable<Judged> judged) =>
        "schema and service disagree:" + Environment.NewLine + string.Join(Environment.NewLine,
            judged.Take(40).Select(j => $"{j.Request.Describe()} => schema {(j.SchemaValid ? "valid" : "invalid: " + j.SchemaErrors)}, service {(j.Accepted ? "accepted" : "refused")} {j.Code}"));

    private static long? Ttl(ContractRequest request)
    {
        var value = request.HasBody ? (request.Body as JsonObject)?["ttlSeconds"] : request.Parameters.GetValueOrDefault("ttlSeconds");
        return value is JsonValue number && number.TryGetValue<long>(out var ttl) ? ttl : null;
    }

    private static async Task<IReadOnlyList<Judged>> JudgeAsync(Dictionary<string, string?> settings)
    {
        var requests = ContractRequestCorpus.All;
        var schema = await ValidateAsync(requests);

        using var tokens = new TestApp(TestApp.UnlimitedRate(settings));
        await using var rooms = await RoomsTestBed.StartAsync(TestApp.UnlimitedRate(settings));
        var judged = new List<Judged>();
        foreach (var (request, errors) in requests.Zip(schema))
        {
            var response = await SendAsync(request, tokens, rooms);
            // 404: a well-formed id of no room (the stand-in knows none); 403: a permission beyond the configured ones.
            Assert.True(response.Status is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound,
                $"{request.Describe()}: {(int)response.Status} {response.Body}");
            judged.Add(new Judged(request, errors.Count == 0, string.Join("; ", errors), response.Status != HttpStatusCode.BadRequest,
                response.Status == HttpStatusCode.BadRequest ? response.Json.GetProperty("code").GetString()! : ((int)response.Status).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return judged;
    }

    private static Task<ReadResponse> SendAsync(ContractRequest request, TestApp tokens, RoomsTestBed rooms)
    {
        switch (request.OperationId)
        {
            case "issueToken":
                return Token(tokens, request.HasBody ? FakeHttpRequestData.Json(request.Body?.ToJsonString() ?? "null") : FakeHttpRequestData.Create("POST"));
            case "issueTokenFromQuery":
                var query = string.Join("&", request.Parameters.Select(p => $"{p.Key}={QueryValue(p.Value!)}"));
                return Token(tokens, FakeHttpRequestData.Create("GET", "/api/token" + (query.Length > 0 ? "?" + query : "")));
            case "createRoom":
                return rooms.CreateAsync(request.HasBody ? request.Body?.ToJsonString() ?? "null" : null);
            case "validateRoom":
                return rooms.ValidateAsync(request.Parameters["roomId"]!.GetValue<string>());
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request.OperationId);
        }
    }

    /// <summary>The query's form (style form, explode false): a list comma-separated, each value percent-encoded.</summary>
    private static string QueryValue(JsonNode value) => value switch
    {
        JsonArray list => string.Join(",", list.Select(item => Uri.EscapeDataString(item!.GetValue<string>()))),
        JsonValue text when text.TryGetValue<string>(out var s) => Uri.EscapeDataString(s),
        _ => value.ToJsonString(),
    };

    private static async Task<ReadResponse> Token(TestApp app, FakeHttpRequestData request) =>
        ReadResponse.From(await app.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None)));

    /// <summary>The contract's judgement of each request, by validate-requests.mjs over one file.</summary>
    private static async Task<IReadOnlyList<IReadOnlyList<string>>> ValidateAsync(IReadOnlyList<ContractRequest> requests)
    {
        var file = Path.Combine(Path.GetTempPath(), $"contract-requests-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, new JsonArray(requests.Select(r => (JsonNode)r.ToValidatorInput()).ToArray()).ToJsonString());
        try
        {
            var run = await ContractTooling.NodeAsync("validate-requests.mjs", file);
            Assert.True(run.ExitCode == 0, run.ToString());
            var results = JsonSerializer.Deserialize<string[][]>(run.Output)!;
            Assert.Equal(requests.Count, results.Length);
            return results;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>"{operationId} {field}" for every parameter and request-body member the contract documents, one level into typed member objects.</summary>
    private static IEnumerable<string> ContractFields()
    {
        var contract = PublishedContract.Load();
        foreach (var (_, _, operation) in contract.Operations)
        {
            foreach (var parameter in operation.Parameters ?? [])
            {
                yield return $"{operation.OperationId} {parameter.Name}";
            }

            var body = operation.RequestBody?.Content?["application/json"].Schema;
            foreach (var (name, property) in body?.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                yield return $"{operation.OperationId} body.{name}";
                foreach (var member in property.Properties?.Keys ?? [])
                {
                    yield return $"{operation.OperationId} body.{name}.{member}";
                }
            }
        }
    }
}
