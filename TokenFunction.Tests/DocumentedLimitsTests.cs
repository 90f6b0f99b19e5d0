using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenFunction.Functions;
using TokenFunction.Tests.Infra;
using TokenFunction.Tests.Rooms;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests;

/// <summary>
/// Every limit the documentation states is the one the app enforces: each number is read from the page that states
/// it (configuration.md's <c>(allowed: ...)</c>, errors.md, api.md, the contract), and the app is run at the limit
/// and just past it. A limit changed on one side only fails here.
/// </summary>
public sealed partial class DocumentedLimitsTests
{
    private static readonly string Configuration = Read("docs/configuration.md");
    private static readonly string Errors = Read("docs/errors.md");
    private static readonly string Api = Read("docs/api.md");
    private static readonly string Contract = Read("openapi/openapi.yaml");

    /// <summary>A setting's row: its name (as an app setting), its default and what it allows, as configuration.md states them.</summary>
    public sealed record DocumentedSetting(string Name, string Default, string Allowed)
    {
        public string Key => Name.Replace("__", ":", StringComparison.Ordinal);

        public override string ToString() => Name;
    }

    public static IReadOnlyList<DocumentedSetting> Bounded { get; } =
        SettingRow().Matches(Configuration)
            .Select(row => (Row: row, Allowed: AllowedRule().Match(row.Groups["meaning"].Value)))
            .Where(r => r.Allowed.Success)
            .Select(r => new DocumentedSetting(r.Row.Groups["name"].Value, r.Row.Groups["default"].Value.Trim().Trim('`'), r.Allowed.Groups[1].Value))
            .ToArray();

    public static TheoryData<string> BoundedNames => new(Bounded.Select(s => s.Name));

    /// <summary>Among them the settings whose bounds were enforced but undocumented, and the one whose documented bound was not enforced.</summary>
    [Fact]
    public void The_configuration_reference_states_the_bounds_of_the_validated_settings() =>
        Assert.Superset(
            new HashSet<string> { "RateLimit__Burst", "RateLimit__TrustedProxyHops", "KeyVault__ManagedIdentityClientId", "CallerAuth__ClockSkew", "Tokens__MaxTtlSeconds" },
            Bounded.Select(s => s.Name).ToHashSet());

    [Theory]
    [MemberData(nameof(BoundedNames))]
    public void Each_setting_starts_at_its_documented_bounds_and_stops_the_app_just_past_them(string name)
    {
        var setting = Bounded.Single(s => s.Name == name);
        var (accepted, refused) = Probes(setting);

        Assert.NotEmpty(accepted);
        Assert.NotEmpty(refused);
        foreach (var value in accepted)
        {
            var failures = StartUpFailures(setting, value);
            Assert.False(failures.Any(f => f.StartsWith(setting.Key, StringComparison.Ordinal)), $"{setting.Key}={value} should start: {string.Join(" | ", failures)}");
        }

        foreach (var value in refused)
        {
            var failures = StartUpFailures(setting, value);
            Assert.True(failures.Any(f => f.StartsWith(setting.Key, StringComparison.Ordinal)), $"{setting.Key}={value} should stop the app naming it: {string.Join(" | ", failures)}");
        }
    }

    /// <summary>The issue's case: a clock skew beyond its bound stops the app in anonymous mode too, as the page promises.</summary>
    [Fact]
    public void A_clock_skew_of_six_minutes_stops_the_app_in_anonymous_mode() =>
        Assert.Contains("CallerAuth:ClockSkew must be from 00:00:00 to 00:05:00; it is 00:06:00.",
            StartUpFailures(Bounded.Single(s => s.Name == "CallerAuth__ClockSkew"), "00:06:00"));

    [Fact]
    public async Task The_body_limit_of_errors_md_is_the_enforced_one()
    {
        var limit = Number(Errors, @"a body of more than (\d+) bytes");
        using var app = new TestApp();

        var atLimit = await PostAsync(app, "{}" + new string(' ', limit - 2));
        var pastLimit = await PostAsync(app, "{}" + new string(' ', limit - 1));

        Assert.Equal(HttpStatusCode.OK, atLimit.Status);
        pastLimit.AssertProblem(HttpStatusCode.RequestEntityTooLarge, "body_too_large");
    }

    [Fact]
    public async Task The_query_limit_of_errors_md_and_the_contract_is_the_enforced_one_not_counting_the_question_mark()
    {
        var limit = Number(Errors, @"query string on `/api/token` longer than (\d+) characters \(not counting its `\?`\)");
        Assert.Equal(limit, Number(Contract, @"The query string \(without its `\?`\) is longer than (\d+) characters"));
        using var app = new TestApp();

        var atLimit = await GetAsync(app, "roomId=" + new string('a', limit - "roomId=".Length));
        var pastLimit = await GetAsync(app, "roomId=" + new string('a', limit + 1 - "roomId=".Length));

        atLimit.AssertProblem(HttpStatusCode.BadRequest, "room_id_invalid");
        pastLimit.AssertProblem(HttpStatusCode.RequestUriTooLong, "query_too_long");
    }

    [Fact]
    public async Task The_listed_errors_limit_of_errors_md_is_the_enforced_one()
    {
        var limit = Number(Errors, @"`errors` lists\s+at most the first (\d+)");
        using var app = new TestApp();

        var problem = (await GetAsync(app, string.Join("&", Enumerable.Range(0, limit + 1).Select(i => $"u{i}=1"))))
            .AssertProblem(HttpStatusCode.BadRequest, "unknown_field");

        Assert.Equal(limit, problem.GetProperty("errors").GetArrayLength());
        Assert.Equal(1, problem.GetProperty("errorsOmitted").GetInt32());
    }

    [Fact]
    public async Task The_nesting_limit_of_the_contract_is_the_enforced_one()
    {
        var levels = Number(Contract, @"the body is at most (\d+) levels deep");
        await using var bed = await RoomsTestBed.StartAsync();

        // The body is level 1 and webhook level 2: the innermost object here is at exactly the limit, or one past it.
        var atLimit = await bed.CreateAsync("{\"webhook\":" + Nested(levels - 1) + "}");
        var pastLimit = await bed.CreateAsync("{\"webhook\":" + Nested(levels) + "}");

        Assert.Equal(HttpStatusCode.Created, atLimit.Status);
        pastLimit.AssertProblem(HttpStatusCode.BadRequest, "malformed_json");
    }

    [Fact]
    public async Task The_relayed_VideoSDK_message_and_wait_of_api_md_are_the_enforced_ones()
    {
        var characters = Number(Api, @"control characters replaced by spaces, at most (\d+) characters");
        var wait = Number(Api, @"5 s when it gives none, at most (\d+) s");
        await using var bed = await RoomsTestBed.StartAsync();

        bed.VideoSdk.Reply = _ => new StandInReply(HttpStatusCode.UnprocessableEntity, $"{{\"message\":\"{new string('m', characters + 1)}\"}}");
        var rejected = (await bed.CreateAsync()).AssertProblem(HttpStatusCode.BadRequest, "room_request_rejected");
        bed.VideoSdk.Reply = _ => new StandInReply(HttpStatusCode.TooManyRequests, RetryAfter: (wait + 1).ToString(CultureInfo.InvariantCulture));
        var limited = await bed.CreateAsync();

        Assert.EndsWith(": " + new string('m', characters) + "…", rejected.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(wait.ToString(CultureInfo.InvariantCulture), limited.Header("Retry-After"));
    }

    /// <summary>Values at each documented bound (the app starts) and just past it (start-up names the setting).</summary>
    private static (List<string> Accepted, List<string> Refused) Probes(DocumentedSetting setting)
    {
        var (accepted, refused) = (new List<string>(), new List<string>());
        var rule = setting.Allowed;
        if (rule == "a GUID")
        {
            accepted.Add(Guid.NewGuid().ToString());
            refused.AddRange(["not-a-guid", "12345"]);
        }
        else if (CharactersRule().Match(rule) is { Success: true } characters)
        {
            var max = int.Parse(characters.Groups["max"].Value, CultureInfo.InvariantCulture);
            accepted.AddRange([new string('a', max), "a-1"]);
            refused.AddRange([new string('a', max + 1), "a_b", "a b"]);
        }
        else if (RangeRule().Match(rule) is { Success: true } range)
        {
            var (low, high) = (Bound(range.Groups["min"].Value), Bound(range.Groups["max"].Value));
            accepted.AddRange([low, high]);
            refused.AddRange([Step(low, -1), Step(high, +1)]);
        }
        else if (AtLeastRule().Match(rule) is { Success: true } atLeast)
        {
            var low = Bound(atLeast.Groups["min"].Value);
            accepted.Add(low);
            refused.Add(Step(low, -1));
        }
        else if (OpenRangeRule().Match(rule) is { Success: true } open)
        {
            var (low, high) = (Bound(open.Groups["min"].Value), Bound(open.Groups["max"].Value));
            accepted.AddRange([Step(low, +1), high]);
            refused.AddRange([low, Step(high, +1)]);
        }

        return (accepted, refused);
    }

    /// <summary>A literal bound, or another setting's name in backticks: that setting's documented default.</summary>
    private static string Bound(string text) =>
        text.StartsWith('`') ? Bounded.Concat(AllRows()).First(s => s.Name == text.Trim('`')).Default : text;

    /// <summary>The next value past <paramref name="value"/>: one for an integer, one second for a duration.</summary>
    private static string Step(string value, int direction) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? (number + direction).ToString(CultureInfo.InvariantCulture)
            : (TimeSpan.Parse(value, CultureInfo.InvariantCulture) + TimeSpan.FromSeconds(direction)).ToString("c", CultureInfo.InvariantCulture);

    private static IEnumerable<DocumentedSetting> AllRows() =>
        SettingRow().Matches(Configuration).Select(row => new DocumentedSetting(row.Groups["name"].Value, row.Groups["default"].Value.Trim().Trim('`'), ""));

    /// <summary>The start-up validation's failures with the setting at <paramref name="value"/> (Key Vault settings in vault mode, where they apply).</summary>
    private static string[] StartUpFailures(DocumentedSetting setting, string value)
    {
        string[] mode = setting.Key.StartsWith("KeyVault:", StringComparison.Ordinal)
            ? ["VideoSdk:ApiKey=k", "KeyVault:VaultUri=https://kv-example.vault.azure.net/"]
            : ["VideoSdk:ApiKey=k", "VideoSdk:ApiSecret=local-secret-0123456789abcdef0123"];
        using var host = Program.CreateHost([.. mode.Append($"{setting.Key}={value}").Select(s => "--" + s)]);
        try
        {
            host.Services.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (OptionsValidationException refused)
        {
            return refused.Failures.ToArray();
        }
        catch (AggregateException refused)
        {
            return refused.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures).ToArray();
        }
    }

    private static string Nested(int levels) => string.Concat(Enumerable.Repeat("{\"a\":", levels - 1)) + "{}" + new string('}', levels - 1);

    private static async Task<ReadResponse> PostAsync(TestApp app, string json)
    {
        var request = FakeHttpRequestData.Json(json);
        return ReadResponse.From(await app.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None)));
    }

    private static async Task<ReadResponse> GetAsync(TestApp app, string query)
    {
        var request = FakeHttpRequestData.Create("GET", "/api/token?" + query);
        return ReadResponse.From(await app.InvokeAsync<IssueTokenFunction>(IssueTokenFunction.Name, request, f => f.RunAsync(request, CancellationToken.None)));
    }

    private static int Number(string text, string pattern)
    {
        var match = Regex.Match(text, pattern);
        Assert.True(match.Success, $"the documentation no longer says /{pattern}/");
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static string Read(string path) => File.ReadAllText(Path.Combine(InfraWorkspace.RepositoryRoot, path), Encoding.UTF8);

    [GeneratedRegex(@"^\| `(?<name>[A-Za-z_]+)` \| (?<default>[^|]*) \| (?<meaning>.*) \|$", RegexOptions.Multiline)]
    private static partial Regex SettingRow();

    [GeneratedRegex(@"\*\(allowed: ([^)]*)\)\*")]
    private static partial Regex AllowedRule();

    [GeneratedRegex(@"^(?<min>\S+) to (?<max>\S+)$")]
    private static partial Regex RangeRule();

    [GeneratedRegex(@"^at least (?<min>\S+)$")]
    private static partial Regex AtLeastRule();

    [GeneratedRegex(@"^more than (?<min>\S+), at most (?<max>\S+)$")]
    private static partial Regex OpenRangeRule();

    [GeneratedRegex(@"^(?<min>\d+) to (?<max>\d+) characters from ")]
    private static partial Regex CharactersRule();
}
