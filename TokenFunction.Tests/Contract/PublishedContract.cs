using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Microsoft.OpenApi.YamlReader;

namespace TokenFunction.Tests.Contract;

/// <summary>
/// One documented answer: an operation and a status, with the error codes its examples show, the headers it
/// promises (<c>required: true</c>) and the ones it mentions.
/// </summary>
public sealed record DocumentedResponse(
    string Method, string Path, HttpStatusCode Status, string Description, IReadOnlyList<string> ErrorCodes,
    IReadOnlyList<string> RequiredHeaders, IReadOnlyList<string> Headers, bool ProducedByPlatform)
{
    public string Key => $"{Method} {Path} {(int)Status}";
}

/// <summary>openapi/openapi.yaml, parsed by Microsoft.OpenApi and flattened into what the contract tests compare.</summary>
public sealed class PublishedContract
{
    public const string RetrySafeExtension = "x-retry-safe";
    public const string ProducedByExtension = "x-produced-by";

    private PublishedContract(OpenApiDocument document) => Document = document;

    public OpenApiDocument Document { get; }

    public static PublishedContract Load() => Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "openapi.yaml")));

    public static PublishedContract Parse(string yaml)
    {
        var settings = new OpenApiReaderSettings();
        settings.AddYamlReader();
        var result = OpenApiDocument.Parse(yaml, "yaml", settings);
        Assert.True(result.Diagnostic?.Errors.Count is null or 0,
            "the contract does not parse: " + string.Join("; ", result.Diagnostic!.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        return new PublishedContract(result.Document!);
    }

    public IEnumerable<(string Path, string Method, OpenApiOperation Operation)> Operations =>
        from path in Document.Paths
        from operation in path.Value.Operations ?? []
        select (path.Key, operation.Key.Method.ToUpperInvariant(), operation.Value);

    public IReadOnlyList<DocumentedResponse> Responses =>
        (from op in Operations
         from response in op.Operation.Responses ?? []
         let headers = response.Value.Headers ?? new Dictionary<string, IOpenApiHeader>()
         select new DocumentedResponse(op.Method, op.Path, (HttpStatusCode)int.Parse(response.Key), response.Value.Description ?? "",
             CodesOf(response.Value), headers.Where(h => h.Value.Required).Select(h => h.Key).ToArray(), headers.Keys.ToArray(),
             response.Value.Extensions?.ContainsKey(ProducedByExtension) == true)).ToArray();

    /// <summary>The named examples of components/examples, as JSON.</summary>
    public IReadOnlyDictionary<string, JsonNode> Examples =>
        (Document.Components?.Examples ?? new Dictionary<string, IOpenApiExample>())
        .ToDictionary(example => example.Key, example => WithJsonNulls(example.Value.Value!));

    /// <summary>
    /// True when every alternative of the operation's security (its own, else the document's) includes a function
    /// key: only then can the host refuse the request before the app runs. A scheme the app checks itself (bearer)
    /// or an empty alternative (<c>{}</c>, no credentials) means the host lets the request through.
    /// </summary>
    public bool RequiresFunctionKey(OpenApiOperation operation) =>
        (operation.Security ?? Document.Security) is { Count: > 0 } alternatives
        && alternatives.All(requirement => requirement.Keys.Any(scheme => FunctionKeySchemes.Contains(scheme.Reference.Id)));

    /// <summary>The api-key schemes: the Functions host's key, as a header or as the <c>code</c> query parameter.</summary>
    private HashSet<string?> FunctionKeySchemes =>
        (Document.Components?.SecuritySchemes ?? new Dictionary<string, IOpenApiSecurityScheme>())
        .Where(scheme => scheme.Value.Type == SecuritySchemeType.ApiKey)
        .Select(scheme => (string?)scheme.Key)
        .ToHashSet();

    /// <summary>Microsoft.OpenApi reads a JSON null in an example as a sentinel string; turned back into null here.</summary>
    private static JsonNode WithJsonNulls(JsonNode node) =>
        JsonNode.Parse(node.ToJsonString().Replace(JsonSerializer.Serialize(JsonNullSentinel.JsonNull.GetValue<string>()), "null", StringComparison.Ordinal))!;

    /// <summary>The codes of the problem examples a response shows: the contract's per-response list of codes.</summary>
    private static string[] CodesOf(IOpenApiResponse response) =>
        response.Content?.TryGetValue("application/problem+json", out var problem) == true
            ? (problem.Examples ?? new Dictionary<string, IOpenApiExample>()).Values
                .Select(example => example.Value?["code"]?.GetValue<string>() ?? throw new InvalidOperationException("A problem example without a code."))
                .ToArray()
            : [];
}
