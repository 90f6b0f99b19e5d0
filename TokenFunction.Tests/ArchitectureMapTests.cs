using System.Text.RegularExpressions;
using TokenFunction.Tests.Infra;

namespace TokenFunction.Tests;

/// <summary>
/// docs/architecture.md is the newcomer's map: every file and folder it names exists, it names every file of the
/// middleware, and its layer table is the one <see cref="Layering"/> enforces.
/// </summary>
public sealed partial class ArchitectureMapTests
{
    private static readonly string Map = File.ReadAllText(Path.Combine(InfraWorkspace.RepositoryRoot, "docs", "architecture.md"));

    /// <summary>A backticked path from the repository root: a file with an extension, or a folder ending in '/'.</summary>
    [GeneratedRegex(@"`((?:[\w.\-]+/)+(?:[\w.\-]+\.(?:cs|csproj|md|json|proto|sh|bicep))?)`")]
    private static partial Regex QuotedPath();

    /// <summary>A row of the layer table: its rank, then its folders.</summary>
    [GeneratedRegex(@"^\| (\d+) \| ([^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex LayerRow();

    [GeneratedRegex(@"`(\w+)`")]
    private static partial Regex QuotedName();

    private static List<string> NamedPaths() => QuotedPath().Matches(Map).Select(match => match.Groups[1].Value).Distinct().ToList();

    [Fact]
    public void Every_file_and_folder_the_map_names_exists()
    {
        var paths = NamedPaths();
        var missing = paths.Where(path => path.EndsWith('/')
            ? !Directory.Exists(Path.Combine(InfraWorkspace.RepositoryRoot, path))
            : !File.Exists(Path.Combine(InfraWorkspace.RepositoryRoot, path)));

        Assert.Contains("TokenFunction/Functions/IssueTokenFunction.cs", paths);
        Assert.Empty(missing);
    }

    [Fact]
    public void The_map_names_every_file_of_the_middleware()
    {
        var middleware = Directory.EnumerateFiles(Path.Combine(InfraWorkspace.RepositoryRoot, "TokenFunction", "Functions", "Middleware"), "*.cs")
            .Select(file => "TokenFunction/Functions/Middleware/" + Path.GetFileName(file));

        Assert.Empty(middleware.Except(NamedPaths()));
    }

    [Fact]
    public void The_layer_table_is_the_ranks_the_layering_test_enforces()
    {
        var table = LayerRow().Matches(Map)
            .SelectMany(row => QuotedName().Matches(row.Groups[2].Value)
                .Select(folder => (Folder: folder.Groups[1].Value, Rank: int.Parse(row.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))))
            .ToDictionary(layer => layer.Folder, layer => layer.Rank);

        Assert.Equal(Layering.Ranks.OrderBy(rank => rank.Key, StringComparer.Ordinal), table.OrderBy(rank => rank.Key, StringComparer.Ordinal));
    }
}
