namespace TokenFunction.Tests.Infra;

/// <summary>
/// The rules are not trusted to detect anything until shown: a copy of main.bicep with known breaks is
/// compiled and evaluated like the real one (with every optional feature on, and with every one off), and the
/// rules must report exactly those breaks.
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

        Assert.All(infra.Scenarios, scenario => Assert.Empty(rule.Check(scenario)));
        Assert.NotEmpty(infra.Sabotaged.SelectMany(rule.Check));
    }

    /// <summary>No rule fires on a break that is not its own, so each detection above is the rule's doing.</summary>
    [Fact]
    public void OnlyTheBrokenRulesFail()
    {
        var failing = InfraRule.All.Where(rule => infra.Sabotaged.Any(deployment => rule.Check(deployment).Count > 0)).Select(rule => rule.Name).Order();

        Assert.Equal(Sabotage.Breaks.Select(b => b.CaughtBy.Name).Order(), failing);
    }
}
