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

    /// <summary>
    /// preprovision reads azd's own sign-in with `azd auth status` (azd 1.23.0, 2026-01-14, PR #6377 in azd's
    /// CHANGELOG): an older azd must be refused by azd itself, before any hook runs, and the README says the same.
    /// </summary>
    [Fact]
    public void AzdOlderThanTheHooksNeedIsRefused()
    {
        Assert.Equal(new Version(1, 23, 0), AzureYaml.RequiredAzdVersion(Lines));
        var readme = File.ReadAllText(Path.Combine(InfraWorkspace.RepositoryRoot, "README.md"));
        Assert.Contains("1.23 or later: `azure.yaml` requires it", readme, StringComparison.Ordinal);
    }

    /// <summary>The check above reads the requirement, not the file's mere presence: without it, it finds none.</summary>
    [Fact]
    public void AnAzureYamlWithoutTheRequirementIsCaught()
    {
        var planted = Lines.Where(line => !line.Contains("azd: \">=", StringComparison.Ordinal)).ToArray();

        Assert.Null(AzureYaml.RequiredAzdVersion(planted));
    }
}
