using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TokenFunction.Telemetry;

namespace TokenFunction.Tests.Infra;

/// <summary>
/// infra/monitoring/observability.bicep compiled, linted and evaluated offline (bicep snapshot) with and without an
/// alert e-mail, in a throw-away copy (snapshots are written beside their parameters).
/// </summary>
public sealed class ObservabilityModuleFixture : IAsyncLifetime
{
    public const string Module = "observability.bicep";
    public const string AppInsightsId =
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-infra-tests/providers/Microsoft.Insights/components/appi-test";

    private static readonly string[] SnapshotContext =
    [
        "--subscription-id", "00000000-0000-0000-0000-000000000001", "--tenant-id", "00000000-0000-0000-0000-000000000002",
        "--resource-group", "rg-infra-tests", "--location", "westeurope",
    ];

    public static string SourceDirectory => Path.Combine(InfraWorkspace.Source.Directory, "monitoring");

    public BicepRun Build { get; private set; } = null!;
    public BicepRun Lint { get; private set; } = null!;
    public IReadOnlyList<JsonObject> WithEmail { get; private set; } = null!;
    public IReadOnlyList<JsonObject> WithoutEmail { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var build = BicepCli.RunAsync(SourceDirectory, "build", Module, "--stdout");
        var lint = BicepCli.RunAsync(SourceDirectory, "lint", Module);
        var withEmail = SnapshotAsync("param alertEmail = 'oncall@example.com'");
        var withoutEmail = SnapshotAsync("");
        (Build, Lint, WithEmail, WithoutEmail) = (await build, await lint, await withEmail, await withoutEmail);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<IReadOnlyList<JsonObject>> SnapshotAsync(string extraParameters)
    {
        var root = Directory.CreateTempSubdirectory("observability-test-");
        try
        {
            File.Copy(Path.Combine(InfraWorkspace.Source.Directory, "bicepconfig.json"), Path.Combine(root.FullName, "bicepconfig.json"));
            var module = Directory.CreateDirectory(Path.Combine(root.FullName, "monitoring")).FullName;
            foreach (var file in Directory.EnumerateFiles(SourceDirectory))
            {
                File.Copy(file, Path.Combine(module, Path.GetFileName(file)));
            }

            await File.WriteAllTextAsync(Path.Combine(module, "test.bicepparam"), $"""
                using '{Module}'
                param location = 'westeurope'
                param namePrefix = 'test'
                param appInsightsId = '{AppInsightsId}'
                {extraParameters}
                """);
            var run = await BicepCli.RunAsync(module, ["snapshot", "test.bicepparam", .. SnapshotContext]);
            var snapshot = Path.Combine(module, "test.snapshot.json");
            if (run.ExitCode != 0 || !File.Exists(snapshot))
            {
                throw new InvalidOperationException($"snapshot failed: {run}");
            }

            return JsonNode.Parse(await File.ReadAllTextAsync(snapshot))!["predictedResources"]!.AsArray().Select(r => r!.AsObject()).ToList();
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}

public sealed partial class ObservabilityModuleTests(ObservabilityModuleFixture module) : IClassFixture<ObservabilityModuleFixture>
{
    private const string AlertRule = "Microsoft.Insights/scheduledQueryRules";
    private const string ActionGroup = "Microsoft.Insights/actionGroups";
    private const string Workbook = "Microsoft.Insights/workbooks";

    /// <summary>The tables an Application Insights component holds that the worker's pipeline fills.</summary>
    private static readonly string[] KnownTables = ["customMetrics", "requests", "dependencies", "traces"];

    [Fact]
    public void The_module_compiles_and_lints_with_no_warning()
    {
        foreach (var run in new[] { module.Build, module.Lint })
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.True(run.WarningLines.Count == 0, string.Join('\n', run.WarningLines));
        }
    }

    [Fact]
    public void Every_alert_the_operator_needs_exists_reads_the_apps_insights_and_notifies_the_action_group()
    {
        var rules = module.WithEmail.Where(r => r.Text("type") == AlertRule).ToList();
        var actionGroup = Assert.Single(module.WithEmail, r => r.Text("type") == ActionGroup);

        Assert.Equal(
            ["caller-refusal-spike", "rate-limit-fallback", "server-errors", "signing-credentials-expiring", "signing-credentials-stale",
                "signing-credentials-unavailable", "upstream-credentials-rejected"],
            rules.Select(r => r.Text("name")!.Replace("alert-test-", "", StringComparison.Ordinal)).Order());
        Assert.All(rules, rule =>
        {
            Assert.Equal([ObservabilityModuleFixture.AppInsightsId], rule.At("properties.scopes")!.AsArray().Select(s => s!.GetValue<string>()));
            Assert.Equal([actionGroup.Id()], rule.At("properties.actions.actionGroups")!.AsArray().Select(s => s!.GetValue<string>()));
            Assert.True(rule.Text("properties.description")!.Length > 60, $"{rule.Name()} needs a description that says what to do");
            Assert.True(rule.At("properties.enabled")!.GetValue<bool>());
        });
    }

    [Fact]
    public void The_credentials_age_alert_fires_past_three_refresh_intervals()
    {
        var stale = Assert.Single(module.WithEmail, r => r.Text("name") == "alert-test-signing-credentials-stale");
        Assert.EndsWith("where AgeSeconds > 900", Query(stale), StringComparison.Ordinal);
    }

    /// <summary>30 days before the pair's expiry date in Key Vault (and after it: the app keeps signing and keeps reporting).</summary>
    [Fact]
    public void The_expiry_alert_fires_thirty_days_before_the_date()
    {
        var expiring = Assert.Single(module.WithEmail, r => r.Text("name") == "alert-test-signing-credentials-expiring");
        Assert.Equal($"customMetrics | where name == \"{TelemetryNames.SigningCredentialsTimeToExpiry}\" | summarize Days = min(value) | where Days < 30", Query(expiring));
    }

    [Fact]
    public void The_alert_email_is_optional()
    {
        var withEmail = Assert.Single(module.WithEmail, r => r.Text("type") == ActionGroup);
        var withoutEmail = Assert.Single(module.WithoutEmail, r => r.Text("type") == ActionGroup);

        Assert.Equal("oncall@example.com", Assert.Single(withEmail.At("properties.emailReceivers")!.AsArray())!.Text("emailAddress"));
        Assert.Empty(withoutEmail.At("properties.emailReceivers")!.AsArray());
    }

    [Fact]
    public void The_workbook_is_deployed_on_the_apps_insights_with_the_repository_json()
    {
        var workbook = Assert.Single(module.WithEmail, r => r.Text("type") == Workbook);

        Assert.Equal(ObservabilityModuleFixture.AppInsightsId, workbook.Text("properties.sourceId"));
        Assert.Equal(File.ReadAllText(Path.Combine(ObservabilityModuleFixture.SourceDirectory, "workbook.json")),
            workbook.Text("properties.serializedData"));
    }

    [Fact]
    public void Every_metric_and_dimension_the_alerts_and_workbook_query_is_one_the_worker_emits()
    {
        var queries = module.WithEmail.Where(r => r.Text("type") == AlertRule).Select(Query)
            .Concat(WorkbookQueries()).ToList();
        var attributes = typeof(TelemetryNames.Attributes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!).ToHashSet();

        Assert.True(queries.Count >= 12, $"only {queries.Count} queries found");
        Assert.All(queries, query =>
        {
            Assert.Contains(Regex.Match(query, @"^\s*(\w+)").Groups[1].Value, KnownTables);
            Assert.All(MetricNames().Matches(query), m => Assert.Contains(m.Groups[1].Value, TelemetryNames.Instruments));
            Assert.All(Dimensions().Matches(query), m => Assert.Contains(m.Groups[1].Value, attributes));
            if (query.StartsWith("customMetrics", StringComparison.Ordinal))
            {
                Assert.Matches(MetricNames(), query);
            }
        });

        // The operator's questions the issue lists each have an instrument behind them.
        var used = queries.SelectMany(q => MetricNames().Matches(q).Select(m => m.Groups[1].Value)).ToHashSet();
        Assert.Superset(used, new HashSet<string>
        {
            TelemetryNames.TokensIssued, TelemetryNames.RequestsRefused, TelemetryNames.SigningCredentialsAge,
            TelemetryNames.SigningCredentialsTimeToExpiry, TelemetryNames.KeyVaultRefreshFailures, TelemetryNames.VideoSdkRequestDuration,
            TelemetryNames.RateLimitFallbacks,
        });
    }

    /// <summary>The README's "Operate" section counts the alert rules in words; a rule added or removed changes it.</summary>
    [Fact]
    public void The_readme_counts_the_alert_rules_the_module_deploys()
    {
        string[] numbers = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
        var readme = File.ReadAllText(Path.Combine(InfraWorkspace.RepositoryRoot, "README.md"));
        var count = module.WithEmail.Count(r => r.Text("type") == AlertRule);

        Assert.Contains($"{numbers[count]} alert rules", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_instrument_and_alert_is_explained_in_the_operators_guide()
    {
        var guide = File.ReadAllText(Path.Combine(InfraWorkspace.RepositoryRoot, "docs", "operate.md"));
        var alerts = module.WithEmail.Where(r => r.Text("type") == AlertRule).Select(r => r.Text("name")!.Replace("alert-test-", "", StringComparison.Ordinal));

        Assert.All(TelemetryNames.Instruments.Concat(alerts), name => Assert.Contains($"`{name}`", guide, StringComparison.Ordinal));
    }

    private static string Query(JsonObject rule) =>
        rule.At("properties.criteria.allOf")!.AsArray().Single()!.Text("query")!;

    private static IEnumerable<string> WorkbookQueries()
    {
        var workbook = JsonNode.Parse(File.ReadAllText(Path.Combine(ObservabilityModuleFixture.SourceDirectory, "workbook.json")))!;
        return workbook["items"]!.AsArray()
            .Where(item => item!["type"]!.GetValue<int>() == 3)
            .Select(item => item!.Text("content.query")!);
    }


    [GeneratedRegex(@"\bname == ""([^""]+)""")]
    private static partial Regex MetricNames();

    [GeneratedRegex(@"customDimensions\[""([^""]+)""\]")]
    private static partial Regex Dimensions();
}
