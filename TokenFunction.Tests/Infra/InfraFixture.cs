using System.Text.Json.Nodes;

namespace TokenFunction.Tests.Infra;

[CollectionDefinition(Name)]
public sealed class InfraTestGroup : ICollectionFixture<InfraFixture>
{
    public const string Name = "Infra";
}

/// <summary>
/// Runs every Bicep CLI invocation the Infra tests need once per test run, all at the same time (each costs
/// seconds of CPU): build, lint and build-params of the real files, and snapshots (the ARM engine's offline
/// evaluation) of the real template with its parameters file as azd runs it (smallest and pipeline), with isolation and the shared rate
/// limit each on and off, of a broken copy (everything on, and everything off), with a '*' CORS origin and with
/// caller authentication undecided.
/// </summary>
public sealed class InfraFixture : IAsyncLifetime
{
    private static readonly string[] SnapshotContext =
    [
        "--subscription-id", "00000000-0000-0000-0000-000000000001", "--tenant-id", "00000000-0000-0000-0000-000000000002",
        "--resource-group", "rg-infra-tests", "--location", "westeurope",
    ];

    // Every optional feature on, so that rules see the network, the operator's grant and caller authentication.
    private const string IsolatedParameters = """
        using 'main.bicep'
        param environmentName = 'infra-tests'
        param location = 'swedencentral'
        param networkIsolation = true
        param operatorPrincipalId = '11111111-1111-1111-1111-111111111111'
        param corsAllowedOrigins = ['https://app.example.com']
        param callerAuthAuthority = 'https://login.example.com/tenant/v2.0'
        param callerAuthAudiences = ['api://videosdk-token']
        param alwaysReadyInstances = 2
        """;

    private const string IsolatedSharedLimitParameters = IsolatedParameters + "\nparam globalRateLimit = true\n";

    private const string WildcardCorsParameters = """
        using 'main.bicep'
        param environmentName = 'infra-tests'
        param location = 'westeurope'
        param allowAnonymousCallers = true
        param corsAllowedOrigins = ['https://app.example.com', '*']
        """;

    /// <summary>What azd exports for the smallest decided `azd up`: a region and an open endpoint on purpose.</summary>
    public static readonly IReadOnlyDictionary<string, string> AzdDefaultEnvironment = new Dictionary<string, string>
    {
        ["AZURE_LOCATION"] = "westeurope",
        ["ALLOW_ANONYMOUS_CALLERS"] = "true",
    };

    /// <summary>The smallest azd up with `azd env set GLOBAL_RATE_LIMIT true`.</summary>
    public static readonly IReadOnlyDictionary<string, string> SharedLimitEnvironment =
        new Dictionary<string, string>(AzdDefaultEnvironment) { ["GLOBAL_RATE_LIMIT"] = "true" };

    /// <summary>Every optional feature azd can switch on: the environment the broken copy is evaluated in.</summary>
    private static readonly IReadOnlyDictionary<string, string> EverythingOnEnvironment =
        new Dictionary<string, string>(SharedLimitEnvironment) { ["NETWORK_ISOLATION"] = "true" };

    /// <summary>A pipeline's `azd up`: the values preprovision stores, including a vault name chosen anew.</summary>
    public static readonly IReadOnlyDictionary<string, string> PipelineEnvironment = new Dictionary<string, string>
    {
        ["AZURE_ENV_NAME"] = "ci-env",
        ["AZURE_LOCATION"] = "northeurope",
        ["AZURE_PRINCIPAL_ID"] = "22222222-2222-2222-2222-222222222222",
        ["AZURE_PRINCIPAL_TYPE"] = "ServicePrincipal",
        ["AZURE_KEY_VAULT_NAME"] = "kv-recreated-1234",
        ["CALLER_AUTH_AUTHORITY"] = "https://login.example.com/tenant/v2.0",
        ["CALLER_AUTH_AUDIENCE"] = "api://videosdk-token",
        // Written as in local.settings.json's Host.CORS, with a space and an empty entry a hand might add.
        ["CORS_ALLOWED_ORIGINS"] = "https://app.example.com, https://admin.example.com,",
    };

    public BicepRun Build { get; private set; } = null!;
    public BicepRun Lint { get; private set; } = null!;
    public BicepRun BuildParams { get; private set; } = null!;
    public BicepRun WildcardCorsSnapshot { get; private set; } = null!;

    /// <summary>Snapshot of main.bicepparam with a region but neither caller authentication nor anonymous callers.</summary>
    public BicepRun UndecidedCallerAuthSnapshot { get; private set; } = null!;

    /// <summary>build-params of main.bicepparam in a region without Flex Consumption.</summary>
    public BicepRun UnlistedRegionParams { get; private set; } = null!;

    /// <summary>build-params with only the principal type preprovision derived (OPERATOR_PRINCIPAL_TYPE=ServicePrincipal).</summary>
    public BicepRun DerivedPrincipalTypeParams { get; private set; } = null!;

    /// <summary>build-params with AZURE_PRINCIPAL_TYPE=Group set by the user over a derived ServicePrincipal.</summary>
    public BicepRun ExplicitPrincipalTypeParams { get; private set; } = null!;

    /// <summary>What main.bicepparam deploys with <see cref="AzdDefaultEnvironment"/> (the smallest azd up).</summary>
    public ArmDeployment Default { get; private set; } = null!;

    /// <summary>What main.bicepparam deploys with <see cref="PipelineEnvironment"/> (CORS origins among its values).</summary>
    public ArmDeployment Pipeline { get; private set; } = null!;

    /// <summary>Network isolation, an operator, caller authentication and a CORS origin.</summary>
    public ArmDeployment Isolated { get; private set; } = null!;

    /// <summary>main.bicepparam with <see cref="SharedLimitEnvironment"/>: the shared rate limit, public.</summary>
    public ArmDeployment SharedLimit { get; private set; } = null!;

    /// <summary><see cref="Isolated"/> with the shared rate limit.</summary>
    public ArmDeployment IsolatedSharedLimit { get; private set; } = null!;

    /// <summary>
    /// main.bicepparam over the copy that <see cref="Sabotage"/> breaks, with isolation and the shared rate limit on
    /// (so every rule has something to check), and with both off (so a rule about what "off" leaves out can fail).
    /// </summary>
    public IReadOnlyList<ArmDeployment> Sabotaged { get; private set; } = null!;

    /// <summary>Limit off and on, isolation off and on.</summary>
    public IEnumerable<ArmDeployment> Scenarios => [Default, Isolated, SharedLimit, IsolatedSharedLimit];

    public async Task InitializeAsync()
    {
        var source = InfraWorkspace.Source.Directory;
        var build = BicepCli.RunAsync(source, "build", InfraWorkspace.MainTemplate, "--stdout");
        var lint = BicepCli.RunAsync(source, "lint", InfraWorkspace.MainTemplate);
        var buildParams = BicepCli.RunAsync(source, PipelineEnvironment, "build-params", InfraWorkspace.MainParameters, "--stdout");
        var unlistedRegion = BicepCli.RunAsync(source, new Dictionary<string, string>(AzdDefaultEnvironment) { ["AZURE_LOCATION"] = "japanwest" },
            "build-params", InfraWorkspace.MainParameters, "--stdout");
        var derivedType = BicepCli.RunAsync(source, new Dictionary<string, string>(AzdDefaultEnvironment) { ["OPERATOR_PRINCIPAL_TYPE"] = "ServicePrincipal" },
            "build-params", InfraWorkspace.MainParameters, "--stdout");
        var explicitType = BicepCli.RunAsync(source,
            new Dictionary<string, string>(AzdDefaultEnvironment) { ["OPERATOR_PRINCIPAL_TYPE"] = "ServicePrincipal", ["AZURE_PRINCIPAL_TYPE"] = "Group" },
            "build-params", InfraWorkspace.MainParameters, "--stdout");
        var defaultSnapshot = SnapshotOfCopyAsync(parameters: null, AzdDefaultEnvironment);
        var pipelineSnapshot = SnapshotOfCopyAsync(parameters: null, PipelineEnvironment);
        var isolatedSnapshot = SnapshotOfCopyAsync(IsolatedParameters, AzdDefaultEnvironment);
        var sharedLimitSnapshot = SnapshotOfCopyAsync(parameters: null, SharedLimitEnvironment);
        var isolatedSharedLimitSnapshot = SnapshotOfCopyAsync(IsolatedSharedLimitParameters, AzdDefaultEnvironment);
        var sabotaged = CompileBrokenCopyAsync();
        var wildcard = RunSnapshotOfCopyAsync(WildcardCorsParameters, AzdDefaultEnvironment);
        var undecided = RunSnapshotOfCopyAsync(parameters: null, new Dictionary<string, string> { ["AZURE_LOCATION"] = "westeurope" });

        Build = await build;
        Lint = await lint;
        BuildParams = await buildParams;
        UnlistedRegionParams = await unlistedRegion;
        DerivedPrincipalTypeParams = await derivedType;
        ExplicitPrincipalTypeParams = await explicitType;
        WildcardCorsSnapshot = await wildcard;
        UndecidedCallerAuthSnapshot = await undecided;
        var template = ParseTemplate(Build);
        Default = new ArmDeployment(template, await defaultSnapshot);
        Pipeline = new ArmDeployment(template, await pipelineSnapshot);
        Isolated = new ArmDeployment(template, await isolatedSnapshot);
        SharedLimit = new ArmDeployment(template, await sharedLimitSnapshot, globalRateLimit: true);
        IsolatedSharedLimit = new ArmDeployment(template, await isolatedSharedLimitSnapshot, globalRateLimit: true);
        Sabotaged = await sabotaged;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    // Each helper owns its copy and deletes it only after every run in it has finished.
    // The two snapshots run one after the other: both write main.snapshot.json in the copy.
    private static async Task<IReadOnlyList<ArmDeployment>> CompileBrokenCopyAsync()
    {
        using var copy = InfraWorkspace.CopyOfSource(Sabotage.Edits);
        var build = BicepCli.RunAsync(copy.Directory, "build", InfraWorkspace.MainTemplate, "--stdout");
        var everythingOn = await SnapshotInAsync(copy, parameters: null, EverythingOnEnvironment);
        var everythingOff = await SnapshotInAsync(copy, parameters: null, AzdDefaultEnvironment);
        var template = ParseTemplate(await build);
        return [new ArmDeployment(template, everythingOn, globalRateLimit: true), new ArmDeployment(template, everythingOff)];
    }

    private static async Task<JsonObject> SnapshotOfCopyAsync(string? parameters, IReadOnlyDictionary<string, string> environment)
    {
        using var copy = InfraWorkspace.CopyOfSource();
        return await SnapshotInAsync(copy, parameters, environment);
    }

    private static async Task<BicepRun> RunSnapshotOfCopyAsync(string? parameters, IReadOnlyDictionary<string, string> environment)
    {
        using var copy = InfraWorkspace.CopyOfSource();
        return await RunSnapshotInAsync(copy, parameters, environment);
    }

    private static async Task<JsonObject> SnapshotInAsync(InfraWorkspace copy, string? parameters, IReadOnlyDictionary<string, string> environment)
    {
        var run = await RunSnapshotInAsync(copy, parameters, environment);
        var snapshotFile = Path.Combine(copy.Directory, Path.ChangeExtension(ParametersFileName(parameters), ".snapshot.json"));
        if (run.ExitCode != 0 || !File.Exists(snapshotFile))
        {
            throw new InvalidOperationException($"snapshot failed: {run}");
        }
        return JsonNode.Parse(await File.ReadAllTextAsync(snapshotFile))!.AsObject();
    }

    private static Task<BicepRun> RunSnapshotInAsync(InfraWorkspace copy, string? parameters, IReadOnlyDictionary<string, string> environment)
    {
        var parametersFile = ParametersFileName(parameters);
        if (parameters is not null)
        {
            copy.WriteFile(parametersFile, parameters);
        }
        return BicepCli.RunAsync(copy.Directory, environment, ["snapshot", parametersFile, .. SnapshotContext]);
    }

    private static string ParametersFileName(string? parameters) => parameters is null ? InfraWorkspace.MainParameters : "scenario.bicepparam";

    private static JsonObject ParseTemplate(BicepRun build) =>
        build.ExitCode == 0 ? JsonNode.Parse(build.StdOut)!.AsObject() : throw new InvalidOperationException($"build failed: {build}");
}
