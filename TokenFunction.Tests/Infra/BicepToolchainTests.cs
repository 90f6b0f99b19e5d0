using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace TokenFunction.Tests.Infra;

/// <summary>The files compile and lint cleanly: a warning (a BCP type problem exits 0) fails the check.</summary>
[Collection(InfraTestGroup.Name)]
public sealed class BicepToolchainTests(InfraFixture infra)
{
    [Fact]
    public void BuildOfMainBicepHasNoErrorOrWarning() => AssertClean(infra.Build);

    [Fact]
    public void LintOfMainBicepHasNoErrorOrWarning() => AssertClean(infra.Lint);

    [Fact]
    public void BuildParamsOfMainBicepparamHasNoErrorOrWarning() => AssertClean(infra.BuildParams);

    [Fact]
    public void SnapshotsPredictNoDiagnostics() =>
        Assert.All(infra.Scenarios, scenario => Assert.Empty(scenario.Diagnostics));

    /// <summary>Only rules at error level fail lint's exit code; a rule left at warning would slip through.</summary>
    [Fact]
    public void BicepConfigPutsCoreRulesAtErrorIncludingRecentApiVersions()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(InfraWorkspace.Source.Directory, "bicepconfig.json")))!;
        var rules = config.At("analyzers.core.rules")!.AsObject();

        Assert.True(config.At("analyzers.core.enabled")?.GetValue<bool>());
        Assert.Contains("use-recent-api-versions", rules.Select(rule => rule.Key));
        Assert.True(rules.Count >= 30, $"only {rules.Count} core rules configured");
        Assert.All(rules, rule => Assert.Equal("error", rule.Value!.Text("level")));
    }

    /// <summary>The csproj picks the Bicep CLI package by OS and architecture; it must be this machine's.</summary>
    [Fact]
    public void TheBicepPackageIsTheOneForThisMachine()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var architecture = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x64";

        Assert.Equal($"{os}-{architecture}", BicepCli.Rid);
    }

    private static void AssertClean(BicepRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.WarningLines.Count == 0, string.Join('\n', run.WarningLines));
    }
}
