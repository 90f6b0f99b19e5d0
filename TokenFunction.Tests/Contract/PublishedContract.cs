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

    /// <summary>True when the operation needs no key (an explicit <c>security: []</c>); otherwise the global function key applies.</summary>
    public static bool IsAnonymous(OpenApiOperation operation) => operation.Security is { Count: 0 };

    private static string[] CodesOf(IOpenApiResponse response) =>
        response.Extensions?.TryGetValue(ErrorCodesExtension, out var extension) == true && extension is JsonNodeExtension { Node: JsonArray codes }
            ? codes.Select(code => code!.GetValue<string>()).ToArray()
            : [];
}
