namespace TokenFunction.Tests.Infra;

public sealed class AzureYamlTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(InfraWorkspace.RepositoryRoot, "azure.yaml"));

    [Fact]
    public void AzdDeploysTheFunctionProjectAsAFunctionApp()
    {
        Assert.Equal("token-function", AzureYaml.ServiceName);
        Assert.Contains("    project: ./TokenFunction", Lines);
        Assert.Contains("    language: dotnet", Lines);
        Assert.Contains("    host: function", Lines);
        Assert.True(File.Exists(Path.Combine(InfraWorkspace.RepositoryRoot, "TokenFunction", "TokenFunction.csproj")));
    }

    [Fact]
    public void AzdProvisionsInfraMain()
    {
        Assert.Contains("  path: infra", Lines);
        Assert.Contains("  module: main", Lines);
    }
}
