using System.Xml.Linq;
using TokenFunction.Tests.Infra;

namespace TokenFunction.Tests;

/// <summary>
/// Each project compiles its own folder only, and the stand-in library, which the host stand-in program and the
/// load run use outside any test, has no test framework: it reports trouble with exceptions.
/// </summary>
public sealed class ProjectBoundaryTests
{
    private static readonly string[] TestFrameworks = ["xunit", "nunit", "mstest", "microsoft.net.test.sdk", "fscheck.xunit"];

    public static TheoryData<string> Projects => new(
        Directory.EnumerateFiles(InfraWorkspace.RepositoryRoot, "*.csproj", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(InfraWorkspace.RepositoryRoot, path)));

    [Theory]
    [MemberData(nameof(Projects))]
    public void No_project_compiles_files_outside_its_own_folder(string project)
    {
        var outside = XDocument.Load(Path.Combine(InfraWorkspace.RepositoryRoot, project)).Descendants()
            .Where(element => element.Name.LocalName is "Compile" or "Protobuf")
            .Select(element => (string?)element.Attribute("Include") ?? string.Empty)
            .Where(include => include.StartsWith("..", StringComparison.Ordinal));

        Assert.Empty(outside);
    }

    [Fact]
    public void The_stand_in_library_references_no_test_framework()
    {
        var project = XDocument.Load(Path.Combine(InfraWorkspace.RepositoryRoot, "TokenFunction.StandIns", "TokenFunction.StandIns.csproj"));
        var packages = project.Descendants().Where(element => element.Name.LocalName == "PackageReference")
            .Select(element => ((string?)element.Attribute("Include") ?? string.Empty).ToLowerInvariant());
        var assemblies = typeof(FunctionsHost).Assembly.GetReferencedAssemblies().Select(name => name.Name!.ToLowerInvariant());

        Assert.DoesNotContain(packages.Concat(assemblies), name => TestFrameworks.Any(framework => name.StartsWith(framework, StringComparison.Ordinal)));
    }
}
