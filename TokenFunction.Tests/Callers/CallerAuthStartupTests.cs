using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunction.Callers;
using TokenFunction.Tests.TestInfrastructure;
using TokenFunction.Platform;

namespace TokenFunction.Tests.Callers;

/// <summary>Who may get tokens is decided at start-up: an open endpoint in Azure needs an explicit setting.</summary>
public sealed class CallerAuthStartupTests
{
    private const string InAzure = HostingPlatform.InstanceIdSetting;

    /// <summary>The real composition (Program.CreateHost) with settings as command-line configuration: no process environment is touched.</summary>
    private static void ValidateAtStartup(params string[] settings) =>
        Validate(["VideoSdk:ApiKey=k", "VideoSdk:ApiSecret=local-secret-0123456789abcdef0123", .. settings]);

    /// <summary>As deployed: in Azure the secret comes from Key Vault (a configuration secret is refused there).</summary>
    private static void ValidateInAzure(params string[] settings) =>
        Validate([$"{InAzure}=instance-1", "VideoSdk:ApiKey=k", "KeyVault:VaultUri=https://kv-example.vault.azure.net/", .. settings]);

    private static void Validate(string[] settings)
    {
        using var host = Program.CreateHost([.. settings.Select(s => "--" + s)]);
        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void Start_up_is_refused_in_Azure_without_an_authority_naming_the_settings()
    {
        var refused = Assert.Throws<OptionsValidationException>(() => ValidateInAzure());

        Assert.Contains("CallerAuth:Authority is empty and the app runs in Azure (WEBSITE_INSTANCE_ID or WEBSITE_SITE_NAME or WEBSITE_SKU is set): anyone could get tokens. "
            + "Set CallerAuth:Authority and CallerAuth:Audiences to your identity provider, "
            + "or set CallerAuth:AllowAnonymous=true to run an open endpoint on purpose.", refused.Message);
    }

    [Fact]
    public void Anonymous_mode_in_Azure_starts_when_switched_on_explicitly() =>
        ValidateInAzure("CallerAuth:AllowAnonymous=true");

    [Fact]
    public void An_authority_in_Azure_starts() =>
        ValidateInAzure("CallerAuth:Authority=https://login.example.com/tenant/v2.0", "CallerAuth:Audiences:0=api://x");

    [Fact]
    public async Task Locally_without_an_authority_the_app_runs_anonymous_and_says_so()
    {
        using var app = new TestApp();

        foreach (var service in app.Get<IEnumerable<Microsoft.Extensions.Hosting.IHostedService>>().OfType<CallerAuthModeReporter>())
        {
            await service.StartAsync(CancellationToken.None);
        }

        Assert.IsType<AnonymousCallerAuthenticator>(app.Get<ICallerAuthenticator>());
        Assert.Contains(app.Logs, log => log.Id.Id == 3012 && log.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    public static TheoryData<Dictionary<string, string?>, int, LogLevel> Modes => new()
    {
        {
            new() { ["CallerAuth:Authority"] = "https://login.example.com/t", ["CallerAuth:Audiences:0"] = "api://x", ["CallerAuth:Audiences:1"] = "api://y",
                ["CallerAuth:Roles:moderator:Permissions:0"] = "allow_mod" },
            3010, LogLevel.Information
        },
        { new() { [InAzure] = "instance-1", ["CallerAuth:AllowAnonymous"] = "true" }, 3011, LogLevel.Warning },
        { new(), 3012, LogLevel.Warning },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task At_start_up_the_app_says_who_may_get_tokens_and_the_rate_limit(Dictionary<string, string?> settings, int modeEvent, LogLevel level)
    {
        settings["RateLimit:Burst"] = "7";
        settings["RateLimit:TokensPerPeriod"] = "3";
        settings["RateLimit:ReplenishmentPeriod"] = "00:00:20";
        using var app = new TestApp(settings);

        await app.Get<IEnumerable<IHostedService>>().OfType<CallerAuthModeReporter>().Single().StartAsync(CancellationToken.None);

        var lines = app.Logs.Where(log => log.Category == typeof(CallerAuthModeReporter).FullName).ToList();
        Assert.Equal([(modeEvent, level), (3013, LogLevel.Information)], lines.Select(log => (log.Id.Id, log.Level)));
        Assert.Equal("Rate limit per caller and per instance: bursts of 7, 3 per 00:00:20", lines[1].Message);
        if (modeEvent == 3010)
        {
            Assert.Equal("Callers must send a bearer token from https://login.example.com/t for audience [\"api://x\",\"api://y\"]; participant id from claim sub, "
                + "roles from claim roles; role rules: [\"moderator\"]", lines[0].Message);
        }
    }

    private const string AuthorityRefused = "CallerAuth:Authority must be the provider's https:// issuer URL without query or fragment, "
        + "such as https://login.microsoftonline.com/<tenant-id>/v2.0.";

    public static TheoryData<string[], string> BadSettings => new()
    {
        { ["CallerAuth:Authority=http://login.example.com/t", "CallerAuth:Audiences:0=a"], AuthorityRefused },
        { ["CallerAuth:Authority=https://login.example.com/t"], "CallerAuth:Audiences must list at least one audience" },
        { ["CallerAuth:Authority=https://login.example.com/t", "CallerAuth:Audiences:0=a", "CallerAuth:AllowAnonymous=true"], "CallerAuth:AllowAnonymous cannot be true" },
        { ["CallerAuth:Authority=https://login.example.com/t", "CallerAuth:Audiences:0=a", "CallerAuth:ClockSkew=00:30:00"], "CallerAuth:ClockSkew must be" },
        { ["CallerAuth:Authority=https://login.example.com/t", "CallerAuth:Audiences:0=a", "CallerAuth:Roles:moderator:Permissions:0=allow_all"], "CallerAuth:Roles:moderator:Permissions: Unknown permission" },
        { ["CallerAuth:Roles:moderator:Permissions:0=allow_mod"], "CallerAuth:Roles needs CallerAuth:Authority" },
        { ["CallerAuth:Authority=https://login.example.com/t?tenant=x", "CallerAuth:Audiences:0=a"], AuthorityRefused },
        { ["CallerAuth:Authority=https://login.example.com/t#v2", "CallerAuth:Audiences:0=a"], AuthorityRefused },
        { ["CallerAuth:Authority=login.example.com/t", "CallerAuth:Audiences:0=a"], AuthorityRefused },
        { ["CallerAuth:Authority=https://login.example.com/t", "CallerAuth:Audiences:0=a", "CallerAuth:Audiences:1= "], "CallerAuth:Audiences must list at least one audience" },
        { ["CallerAuth:Authority=https://login.example.com/t", "CallerAuth:Audiences:0=a", "CallerAuth:ClockSkew=-00:00:01"], "CallerAuth:ClockSkew must be from 00:00:00 to 00:05:00; it is -00:00:01." },
        { ["CallerAuth:Authority=https://login.example.com/t", "CallerAuth:Audiences:0=a", "CallerAuth:ClockSkew=00:05:00.0000001"], "CallerAuth:ClockSkew must be" },
        { ["CallerAuth:Authority=https://login.example.com/t", "CallerAuth:Audiences:0=a", "CallerAuth:ParticipantIdClaim= "], "CallerAuth:ParticipantIdClaim must name a claim" },
        { ["CallerAuth:Authority=https://login.example.com/t", "CallerAuth:Audiences:0=a", "CallerAuth:RolesClaim= "], "CallerAuth:RolesClaim must name a claim" },
        { ["RateLimit:Burst=0"], "RateLimit:Burst must be" },
        { ["RateLimit:ReplenishmentPeriod=00:00:00"], "RateLimit:ReplenishmentPeriod must be" },
        { ["RateLimit:Burst=5", "RateLimit:TokensPerPeriod=6"], "RateLimit:TokensPerPeriod must be from 1 to RateLimit:Burst (5); it is 6." },
        { ["RateLimit:TrustedProxyHops=6"], "RateLimit:TrustedProxyHops must be from 0 to 5; it is 6." },
        { ["RateLimit:TrustedProxyHops=-1"], "RateLimit:TrustedProxyHops must be from 0 to 5; it is -1." },
    };

    [Theory]
    [InlineData("CallerAuth:ClockSkew=00:00:00")]
    [InlineData("CallerAuth:ClockSkew=00:05:00")]
    [InlineData("CallerAuth:Audiences:1=api://second")]
    [InlineData("CallerAuth:Roles:moderator:Permissions:0=ask_join", "CallerAuth:Roles:moderator:Permissions:1=allow_join")]
    [InlineData("RateLimit:Burst=5", "RateLimit:TokensPerPeriod=5", "RateLimit:TrustedProxyHops=5")]
    [InlineData("RateLimit:TrustedProxyHops=0")]
    public void Settings_on_the_edge_of_the_allowed_start(params string[] settings) =>
        ValidateAtStartup(["CallerAuth:Authority=https://login.example.com/t/", "CallerAuth:Audiences:0=api://x", .. settings]);

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Bad_caller_settings_stop_start_up_with_a_message_naming_the_setting(string[] settings, string expected)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => ValidateAtStartup(settings));

        Assert.Contains(expected, refused.Message);
    }
}
