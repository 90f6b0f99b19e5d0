using System.Net;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Microsoft.OpenApi.YamlReader;

namespace TokenFunction.Tests.Contract;

/// <summary>One documented answer: an operation and a status, with the error codes it may carry.</summary>
public sealed record DocumentedResponse(string Method, string Path, HttpStatusCode Status, IReadOnlyList<string> ErrorCodes, bool ProducedByPlatform)
{
    public string Key => $"{Method} {Path} {(int)Status}";
}

/// <summary>openapi/openapi.yaml, parsed by Microsoft.OpenApi and flattened into what the contract tests compare.</summary>
public sealed class PublishedContract
{
    public const string ErrorCodesExtension = "x-error-codes";
    public const string ProducedByExtension = "x-produced-by";

    private PublishedContract(OpenApiDocument document) => Document = document;

    public OpenApiDocument Document { get; }

    public static PublishedContract Load()
    {
        var settings = new OpenApiReaderSettings();
        settings.AddYamlReader();
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "openapi.yaml"));
        var result = OpenApiDocument.LoadAsync(stream, "yaml", settings).GetAwaiter().GetResult();
        Assert.True(result.Diagnostic?.Errors.Count is null or 0,
            "openapi.yaml does not parse: " + string.Join("; ", result.Diagnostic!.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        return new PublishedContract(result.Document!);
    }

    public IEnumerable<(string Path, string Method, OpenApiOperation Operation)> Operations =>
        from path in Document.Paths
        from operation in path.Value.Operations ?? []
        select (path.Key, operation.Key.Method.ToUpperInvariant(), operation.Value);

    public IReadOnlyList<DocumentedResponse> Responses =>
        (from op in Operations
         from response in op.Operation.Responses ?? []
         select new DocumentedResponse(op.Method, op.Path, (HttpStatusCode)int.Parse(response.Key), CodesOf(response.Value),
             response.Value.Extensions?.ContainsKey(ProducedByExtension) == true)).ToArray();

    public IReadOnlyList<string> ErrorCodeEnum =>
        Document.Components!.Schemas!["ErrorCode"].Enum!.Select(node => node.GetValue<string>()).ToArray();

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

    private static string[] CodesOf(IOpenApiResponse response) =>
        response.Extensions?.TryGetValue(ErrorCodesExtension, out var extension) == true && extension is JsonNodeExtension { Node: JsonArray codes }
            ? codes.Select(code => code!.GetValue<string>()).ToArray()
            : [];
}
