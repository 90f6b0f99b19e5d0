namespace TokenFunction.Tests.Contract;

/// <summary>The version rule of openapi.yaml, on the real files and on changes made to a copy.</summary>
public sealed class ContractVersionTests
{
    private static readonly string Contract = File.ReadAllText(ContractVersions.ContractPath);

    [Fact]
    public void The_contract_is_the_kept_copy_of_its_version_and_the_newest()
    {
        var version = PublishedContract.Parse(Contract).Document.Info.Version!;
        var copy = Path.Combine(ContractVersions.Folder, version + ".yaml");

        Assert.True(File.Exists(copy), $"openapi.yaml is version {version} but openapi/versions/{version}.yaml does not exist: bump info.version by the rule in info.description and commit a copy there.");
        Assert.True(File.ReadAllText(copy) == Contract,
            $"openapi.yaml differs from openapi/versions/{version}.yaml: a change needs a new info.version (and a copy), by the rule in info.description.");
        Assert.Equal(System.Version.Parse(version), ContractVersions.Kept[^1].Version);
    }

    [Fact]
    public void Each_kept_version_follows_the_rule_from_the_one_before()
    {
        var kept = ContractVersions.Kept;
        var wrong = kept.Zip(kept.Skip(1))
            .SelectMany(step => ContractVersions.CheckStep(File.ReadAllText(step.First.Path), File.ReadAllText(step.Second.Path)));

        Assert.Empty(wrong);
    }

    [Fact]
    public void A_change_without_a_new_version_is_refused()
    {
        var changed = Contract.Replace("summary: Check that a room exists", "summary: Check whether a room exists", StringComparison.Ordinal);

        Assert.NotEqual(Contract, changed);
        Assert.Contains("is not above", Assert.Single(ContractVersions.CheckStep(Contract, changed)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_wording_change_with_a_patch_version_passes()
    {
        var changed = WithVersion(Contract.Replace("summary: Check that a room exists", "summary: Check whether a room exists", StringComparison.Ordinal), patch: 1);

        Assert.Empty(ContractVersions.CheckStep(Contract, changed));
    }

    [Theory]
    [InlineData("operationId: validateRoom", "operationId: checkRoom", "operationId validateRoom became checkRoom")]
    [InlineData("enum: [allow_join, ask_join, allow_mod]", "enum: [allow_join, ask_join]", "enum value \"allow_mod\" removed")]
    [InlineData("required: [roomId, customRoomId, disabled]", "required: [roomId, customRoomId, disabled, region]", "region became required")]
    [InlineData("        '404':\n          description: No room with this id", "        '410':\n          description: No room with this id", "response 404 removed")]
    public void A_breaking_change_with_only_a_minor_version_is_refused(string before, string after, string expected)
    {
        var changed = WithVersion(Contract.Replace(before, after, StringComparison.Ordinal), minor: 1);
        Assert.NotEqual(Contract, changed);

        var refusals = ContractVersions.CheckStep(Contract, changed);

        Assert.Contains(refusals, refusal => refusal.Contains(expected, StringComparison.Ordinal));
        Assert.Empty(ContractVersions.CheckStep(Contract, WithVersion(changed, major: 1)));
    }

    private static string WithVersion(string yaml, int major = 0, int minor = 0, int patch = 0)
    {
        var current = PublishedContract.Parse(yaml).Document.Info.Version!;
        var version = System.Version.Parse(current);
        var next = major > 0 ? $"{version.Major + major}.0.0" : minor > 0 ? $"{version.Major}.{version.Minor + minor}.0" : $"{version.Major}.{version.Minor}.{version.Build + patch}";
        return yaml.Replace($"  version: {current}\n", $"  version: {next}\n", StringComparison.Ordinal);
    }
}
