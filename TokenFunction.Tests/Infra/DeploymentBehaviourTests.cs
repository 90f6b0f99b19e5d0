using System.Text.Json.Nodes;

namespace TokenFunction.Tests.Infra;

/// <summary>What the parameters change, evaluated offline by the ARM engine of the Bicep CLI.</summary>
[Collection(InfraTestGroup.Name)]
public sealed class DeploymentBehaviourTests(InfraFixture infra)
{
    private const string SecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";

    /// <summary>The network rules hold vacuously without a VNet; this keeps both of their branches exercised.</summary>
    [Fact]
    public void NetworkIsolationIsOffByDefaultAndOnWithTheParameter()
    {
        Assert.Empty(infra.Default.OfType(ResourceTypes.VirtualNetwork));
        Assert.Single(infra.Isolated.OfType(ResourceTypes.VirtualNetwork));
        Assert.Equal(2, infra.Isolated.OfType(ResourceTypes.PrivateEndpoint).Count());
    }

    /// <summary>Scale to zero unless asked: an always-ready instance is billed all month, idle or not.</summary>
    [Fact]
    public void NoInstanceIsAlwaysReadyByDefault()
    {
        var alwaysReady = infra.Default.FunctionApp!.At("properties.functionAppConfig.scaleAndConcurrency.alwaysReady");

        Assert.True(JsonNode.DeepEquals(new JsonArray(), alwaysReady), alwaysReady?.ToJsonString());
    }

    /// <summary>The parameter keeps that many instances of the HTTP group (Flex Consumption's group name) always ready.</summary>
    [Fact]
    public void AlwaysReadyInstancesKeepTheHttpGroupWarm()
    {
        var alwaysReady = infra.Isolated.FunctionApp!.At("properties.functionAppConfig.scaleAndConcurrency.alwaysReady");

        Assert.True(JsonNode.DeepEquals(new JsonArray(new JsonObject { ["name"] = "http", ["instanceCount"] = 2 }), alwaysReady), alwaysReady?.ToJsonString());
    }

    /// <summary>The Redis rules hold vacuously without a cache; this keeps their branches exercised through the azd value.</summary>
    [Fact]
    public void GlobalRateLimitIsOffByDefaultAndOnWithTheAzdValue()
    {
        Assert.Empty(infra.Default.OfType(ResourceTypes.RedisCluster));
        Assert.Empty(infra.Isolated.OfType(ResourceTypes.RedisCluster));
        Assert.Single(infra.SharedLimit.OfType(ResourceTypes.RedisCluster));
        Assert.Single(infra.IsolatedSharedLimit.OfType(ResourceTypes.RedisCluster));
        Assert.Equal(3, infra.IsolatedSharedLimit.OfType(ResourceTypes.PrivateEndpoint).Count());
    }

    /// <summary>docs/deployment.md prices the size and the single node the template deploys.</summary>
    [Fact]
    public void TheCacheIsTheSizeTheDeploymentGuidePrices()
    {
        var cluster = infra.SharedLimit.OfType(ResourceTypes.RedisCluster).Single();
        var guide = File.ReadAllText(Path.Combine(InfraWorkspace.RepositoryRoot, "docs", "deployment.md"));

        Assert.Equal("Disabled", cluster.Text("properties.highAvailability"));
        Assert.Contains($"`{cluster.Text("sku.name")}`, one node (high availability off)", guide, StringComparison.Ordinal);
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

    /// <summary>
    /// An undecided caller authentication fails at provision, with the commands that decide it, instead of
    /// deploying an app that refuses to start.
    /// </summary>
    [Fact]
    public void UndecidedCallerAuthenticationFailsTheDeploymentNamingTheAzdCommands()
    {
        var run = infra.UndecidedCallerAuthSnapshot;

        Assert.NotEqual(0, run.ExitCode);
        var output = run.StdErr + run.StdOut;
        Assert.Contains("Caller authentication is undecided", output, StringComparison.Ordinal);
        Assert.Contains("azd env set CALLER_AUTH_AUTHORITY", output, StringComparison.Ordinal);
        Assert.Contains("azd env set CALLER_AUTH_AUDIENCE", output, StringComparison.Ordinal);
        Assert.Contains("azd env set ALLOW_ANONYMOUS_CALLERS true", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ARegionWithoutFlexConsumptionIsRefusedBeforeAnythingIsCreated()
    {
        var run = infra.UnlistedRegionParams;

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("'japanwest'", run.StdErr + run.StdOut, StringComparison.Ordinal);
    }

    /// <summary>What preprovision stores in the azd environment reaches the template's parameters.</summary>
    [Fact]
    public void ParametersComeFromTheAzdEnvironment()
    {
        var parameters = JsonNode.Parse(JsonNode.Parse(infra.BuildParams.StdOut)!.Text("parametersJson")!)!;

        Assert.Equal("ServicePrincipal", parameters.Text("parameters.operatorPrincipalType.value"));
        Assert.Equal("22222222-2222-2222-2222-222222222222", parameters.Text("parameters.operatorPrincipalId.value"));
        Assert.Equal("northeurope", parameters.Text("parameters.location.value"));
        Assert.Equal("kv-recreated-1234", parameters.Text("parameters.keyVaultName.value"));
        Assert.Equal("api://videosdk-token", parameters.Text("parameters.callerAuthAudiences.value.0"));
    }

    /// <summary>
    /// The type preprovision derives (OPERATOR_PRINCIPAL_TYPE, rewritten on every run) reaches the template, and an
    /// AZURE_PRINCIPAL_TYPE the user set wins over it.
    /// </summary>
    [Fact]
    public void ThePrincipalTypeTheUserSetWinsOverTheDerivedOne()
    {
        Assert.Equal("ServicePrincipal", OperatorPrincipalType(infra.DerivedPrincipalTypeParams));
        Assert.Equal("Group", OperatorPrincipalType(infra.ExplicitPrincipalTypeParams));
    }

    private static string? OperatorPrincipalType(BicepRun run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonNode.Parse(JsonNode.Parse(run.StdOut)!.Text("parametersJson")!)!.Text("parameters.operatorPrincipalType.value");
    }

    [Fact]
    public void VaultNameIsDerivedUnlessTheEnvironmentChoosesOne()
    {
        var vault = Assert.Single(infra.Default.OfType(ResourceTypes.KeyVault));
        Assert.Equal("kv-" + infra.Default.FunctionApp!.Name()["func-".Length..], vault.Name());
    }

    [Fact]
    public void OperatorPrincipalTypeDefaultsToUser()
    {
        var grant = Assert.Single(Expect.RoleAssignmentsOf(infra.Isolated, SecretsOfficer));
        Assert.Equal("User", grant.Text("properties.principalType"));
    }

    [Fact]
    public void OperatorGetsSecretsOfficerOnTheVaultOnlyWhenNamed()
    {
        Assert.Empty(Expect.RoleAssignmentsOf(infra.Default, SecretsOfficer));
        var grant = Assert.Single(Expect.RoleAssignmentsOf(infra.Isolated, SecretsOfficer));
        Assert.Equal("11111111-1111-1111-1111-111111111111", grant.Text("properties.principalId"));
        Assert.StartsWith(infra.Isolated.OfType(ResourceTypes.KeyVault).Single().Id() + "/providers/", grant.Id(), StringComparison.Ordinal);
    }
}
