using Microsoft.OpenApi;

namespace TokenFunction.Tests.Contract;

/// <summary>
/// The version rule of openapi.yaml (stated in its info.description): every released version is kept as
/// openapi/versions/&lt;version&gt;.yaml, the contract must equal the copy of its own version, and a step that
/// can break a caller needs a new major version.
/// </summary>
internal static class ContractVersions
{
    public static string Folder => Path.Combine(Infra.InfraWorkspace.RepositoryRoot, "openapi", "versions");

    public static string ContractPath => Path.Combine(Infra.InfraWorkspace.RepositoryRoot, "openapi", "openapi.yaml");

    /// <summary>The kept versions, oldest first.</summary>
    public static IReadOnlyList<(Version Version, string Path)> Kept =>
        Directory.GetFiles(Folder, "*.yaml")
            .Select(path => (Version.Parse(System.IO.Path.GetFileNameWithoutExtension(path)), path))
            .OrderBy(kept => kept.Item1)
            .ToArray();

    /// <summary>Why <paramref name="current"/> may not follow <paramref name="previous"/>; empty when it may.</summary>
    public static IReadOnlyList<string> CheckStep(string previousYaml, string currentYaml)
    {
        var previous = PublishedContract.Parse(previousYaml).Document;
        var current = PublishedContract.Parse(currentYaml).Document;
        var (from, to) = (Version.Parse(previous.Info.Version!), Version.Parse(current.Info.Version!));
        if (to <= from)
        {
            return previousYaml == currentYaml ? [] : [$"the contract changed but its version {to} is not above {from}"];
        }

        var breaking = BreakingChanges(previous, current);
        return breaking.Count > 0 && to.Major == from.Major
            ? [.. breaking.Select(change => $"{change}: a breaking change needs a new major version, not {to}")]
            : [];
    }

    /// <summary>
    /// What generated clients and callers of <paramref name="previous"/> can trip over. A floor, not a full
    /// breaking-change detector: what it finds is breaking for sure; wording changes are not looked at.
    /// </summary>
    public static IReadOnlyList<string> BreakingChanges(OpenApiDocument previous, OpenApiDocument current)
    {
        var changes = new List<string>();
        var servers = current.Servers?.Select(s => s.Url).ToHashSet() ?? [];
        changes.AddRange(from server in previous.Servers ?? [] where !servers.Contains(server.Url) select $"server {server.Url} removed");

        foreach (var (path, item) in previous.Paths)
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                var now = current.Paths.TryGetValue(path, out var currentItem) && currentItem.Operations?.TryGetValue(method, out var found) == true ? found : null;
                if (now is null)
                {
                    changes.Add($"{method} {path} removed");
                    continue;
                }

                if (now.OperationId != operation.OperationId)
                {
                    changes.Add($"{method} {path}: operationId {operation.OperationId} became {now.OperationId}");
                }

                changes.AddRange(from status in operation.Responses?.Keys.ToArray() ?? []
                                 where now.Responses?.ContainsKey(status) != true
                                 select $"{method} {path}: response {status} removed");
            }
        }

        foreach (var (name, schema) in previous.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (current.Components?.Schemas?.TryGetValue(name, out var now) != true || now is null)
            {
                changes.Add($"schema {name} removed");
                continue;
            }

            changes.AddRange(from property in schema.Properties?.Keys ?? []
                             where now.Properties?.ContainsKey(property) != true
                             select $"schema {name}: property {property} removed");
            changes.AddRange(from required in now.Required ?? new HashSet<string>()
                             where schema.Required?.Contains(required) != true
                             select $"schema {name}: {required} became required");
            var values = now.Enum?.Select(v => v.ToJsonString()).ToHashSet() ?? [];
            changes.AddRange(from value in schema.Enum ?? []
                             where now.Enum is not null && !values.Contains(value.ToJsonString())
                             select $"schema {name}: enum value {value.ToJsonString()} removed");
            if (schema.Type != now.Type)
            {
                changes.Add($"schema {name}: type {schema.Type} became {now.Type}");
            }
        }

        return changes;
    }
}
