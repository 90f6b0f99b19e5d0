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

    /// <summary>
    /// Each hook names its shell (azd's default differs by OS) and its script exists; postprovision, the one
    /// that may ask for the credentials, is interactive on both.
    /// </summary>
    [Theory]
    [InlineData("preprovision", false)]
    [InlineData("postprovision", true)]
    [InlineData("postdeploy", false)]
    public void HookRunsItsScriptInAnExplicitShell(string hook, bool interactive)
    {
        var block = Lines.SkipWhile(line => line != $"  {hook}:").Skip(1).TakeWhile(line => line.StartsWith("    ", StringComparison.Ordinal)).ToList();
        var posix = block.SkipWhile(line => line != "    posix:").Skip(1).TakeWhile(line => line.StartsWith("      ", StringComparison.Ordinal)).ToList();
        var windows = block.SkipWhile(line => line != "    windows:").Skip(1).TakeWhile(line => line.StartsWith("      ", StringComparison.Ordinal)).ToList();

        Assert.Contains("      shell: sh", posix);
        Assert.Contains($"      run: ./scripts/{hook}.sh", posix);
        Assert.Contains("      shell: pwsh", windows);
        Assert.Contains($"      run: ./scripts/{hook}.ps1", windows);
        Assert.Equal(interactive, posix.Contains("      interactive: true"));
        Assert.Equal(interactive, windows.Contains("      interactive: true"));
        Assert.True(File.Exists(Path.Combine(InfraWorkspace.RepositoryRoot, "scripts", hook + ".sh")));
        Assert.True(File.Exists(Path.Combine(InfraWorkspace.RepositoryRoot, "scripts", hook + ".ps1")));
    }
}
