namespace TokenFunction.Tests.Infra;

/// <summary>main.bicep deploys the observability module on the deployment's own Application Insights.</summary>
[Collection(InfraTestGroup.Name)]
public sealed class ObservabilityWiringTests(InfraFixture infra)
{
    [Fact]
    public void The_alerts_and_the_workbook_read_the_deployments_application_insights()
    {
        Assert.All(infra.Scenarios, deployment =>
        {
            var insights = Assert.Single(deployment.OfType(ResourceTypes.AppInsights));
            var rules = deployment.OfType("Microsoft.Insights/scheduledQueryRules").ToList();
            Assert.Equal(7, rules.Count);
            Assert.All(rules, rule => Assert.Equal(insights.Id(), rule.At("properties.scopes")![0]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase));
            var workbook = Assert.Single(deployment.OfType("Microsoft.Insights/workbooks"));
            Assert.Equal(insights.Id(), workbook.Text("properties.sourceId"), StringComparer.OrdinalIgnoreCase);
            Assert.Single(deployment.OfType("Microsoft.Insights/actionGroups"));
        });
    }
}
