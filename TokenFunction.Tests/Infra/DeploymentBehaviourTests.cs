using System.Text.Json.Nodes;

namespace TokenFunction.Tests.Infra;

/// <summary>What the parameters change, evaluated offline by the ARM engine of the Bicep CLI.</summary>
[Collection(InfraTestGroup.Name)]
public sealed class DeploymentBehaviourTests(InfraFixture infra)
{
    /// <summary>The network rules hold vacuously without a VNet; this keeps both of their branches exercised.</summary>
    [Fact]
    public void NetworkIsolationIsOffByDefaultAndOnWithTheParameter()
    {
        Assert.Empty(infra.Default.OfType(ResourceTypes.VirtualNetwork));
        Assert.Single(infra.Isolated.OfType(ResourceTypes.VirtualNetwork));
        Assert.Equal(2, infra.Isolated.OfType(ResourceTypes.PrivateEndpoint).Count());
    }

    [Fact]
    public void WildcardCorsOriginFailsTheDeployment()
    {
        var run = infra.WildcardCorsSnapshot;

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("corsAllowedOrigins must not contain \"*\"", run.StdErr + run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void AllowedCorsOriginsReachTheApp()
    {
        var origins = infra.Isolated.FunctionApp!.At("properties.siteConfig.cors.allowedOrigins");

        Assert.True(JsonNode.DeepEquals(new JsonArray("https://app.example.com"), origins), origins?.ToJsonString());
    }

    /// <summary>azd up with no secrets set must still deploy; the secrets are then set with az keyvault secret set.</summary>
    [Fact]
    public void MainParametersLeaveTheSecretsEmptyUnlessExported()
    {
        var parameters = JsonNode.Parse(JsonNode.Parse(infra.BuildParams.StdOut)!.Text("parametersJson")!)!;

        Assert.Equal("", parameters.Text("parameters.videoSdkApiKey.value"));
        Assert.Equal("", parameters.Text("parameters.videoSdkApiSecret.value"));
    }

    [Fact]
    public void OperatorGetsSecretsOfficerOnTheVaultOnlyWhenNamed()
    {
        const string secretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";

        Assert.Empty(Expect.RoleAssignmentsOf(infra.Default, secretsOfficer));
        var grant = Assert.Single(Expect.RoleAssignmentsOf(infra.Isolated, secretsOfficer));
        Assert.Equal("11111111-1111-1111-1111-111111111111", grant.Text("properties.principalId"));
        Assert.StartsWith(infra.Isolated.OfType(ResourceTypes.KeyVault).Single().Id() + "/providers/", grant.Id(), StringComparison.Ordinal);
    }
}
