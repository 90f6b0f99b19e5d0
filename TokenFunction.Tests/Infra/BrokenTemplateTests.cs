namespace TokenFunction.Tests.Infra;

/// <summary>
/// The rules are not trusted to detect anything until shown: a copy of main.bicep with known breaks is
/// compiled and evaluated like the real one, and the rules must report exactly those breaks.
/// </summary>
[Collection(InfraTestGroup.Name)]
public sealed class BrokenTemplateTests(InfraFixture infra)
{
    public static TheoryData<string> BrokenRules => new(Sabotage.Breaks.Select(b => b.CaughtBy.Name));

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public void RuleDetectsItsBreak(string ruleName)
    {
        var rule = InfraRule.All.Single(r => r.Name == ruleName);

        Assert.Empty(rule.Check(infra.Default));
        Assert.NotEmpty(rule.Check(infra.Sabotaged));
    }

    /// <summary>No rule fires on a break that is not its own, so each detection above is the rule's doing.</summary>
    [Fact]
    public void OnlyTheBrokenRulesFail()
    {
        var failing = InfraRule.All.Where(rule => rule.Check(infra.Sabotaged).Count > 0).Select(rule => rule.Name).Order();

        Assert.Equal(Sabotage.Breaks.Select(b => b.CaughtBy.Name).Order(), failing);
    }
}
