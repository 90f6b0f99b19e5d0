using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunction.Callers;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Callers;

/// <summary>The <c>RateLimit:Redis</c> settings, checked when the app starts (Program's own host), each refusal naming the setting.</summary>
public sealed class SharedRateLimitStartupTests
{
    private const string Secret = "RateLimit:Redis:KeySecret=0123456789abcdef0123456789abcdef";

    private static void ValidateAtStartup(params string[] settings)
    {
        using var host = Program.CreateHost([.. new[] { "VideoSdk:ApiKey=k", "VideoSdk:ApiSecret=local-secret-0123456789abcdef0123" }.Concat(settings).Select(s => "--" + s)]);
        host.Services.GetRequiredService<IStartupValidator>().Validate();
    }

    public static TheoryData<string[], string> BadSettings => new()
    {
        { ["RateLimit:Redis:Host=127.0.0.1", "RateLimit:Redis:UseTls=false"], "RateLimit:Redis:KeySecret must be at least 32 characters" },
        { ["RateLimit:Redis:Host=127.0.0.1", "RateLimit:Redis:UseTls=false", "RateLimit:Redis:KeySecret=0123456789abcdef0123456789abcde"], "RateLimit:Redis:KeySecret must be at least 32 characters" },
        // What the platform hands the app when it cannot resolve the reference: long enough, and known to anyone.
        { ["RateLimit:Redis:Host=cache.example.net", "RateLimit:Redis:KeySecret=@Microsoft.KeyVault(SecretUri=https://kv-x.vault.azure.net/secrets/rate-limit-key)"], "RateLimit:Redis:KeySecret is a Key Vault reference the platform could not resolve" },
        { ["RateLimit:Redis:Host=cache.example.net:10000", Secret], "RateLimit:Redis:Host must be a host name or an IP address, without a scheme or a port" },
        { ["RateLimit:Redis:Host=rediss://cache.example.net", Secret], "RateLimit:Redis:Host must be a host name or an IP address, without a scheme or a port" },
        { ["RateLimit:Redis:Host=cache.example.net", "RateLimit:Redis:UseTls=false", Secret], "RateLimit:Redis:UseTls=false is allowed only for a loopback host, not cache.example.net" },
        { ["RateLimit:Redis:Host=127.0.0.1", "RateLimit:Redis:Port=0", Secret], "RateLimit:Redis:Port must be from 1 to 65535; it is 0." },
        { ["RateLimit:Redis:Host=127.0.0.1", "RateLimit:Redis:Authentication=Password", Secret], "RateLimit:Redis:Authentication=Password needs RateLimit:Redis:Password." },
        { ["RateLimit:Redis:Host=127.0.0.1", "RateLimit:Redis:Password=p", Secret], "RateLimit:Redis:User and RateLimit:Redis:Password are used only with RateLimit:Redis:Authentication=Password; it is None." },
        { ["RateLimit:Redis:Host=127.0.0.1", "RateLimit:Redis:Authentication=EntraId", "RateLimit:Redis:User=u", Secret], "used only with RateLimit:Redis:Authentication=Password; it is EntraId." },
        { ["RateLimit:Redis:Host=127.0.0.1", "RateLimit:Redis:KeyPrefix=app:{x}", Secret], "RateLimit:Redis:KeyPrefix must be 1 to 100 of" },
        { ["RateLimit:Redis:Host=127.0.0.1", "RateLimit:Redis:CheckTimeout=00:00:00.009", Secret], "RateLimit:Redis:CheckTimeout must be from 00:00:00.0100000 to 00:00:01; it is 00:00:00.0090000." },
        { ["RateLimit:Redis:Host=127.0.0.1", "RateLimit:Redis:CheckTimeout=00:00:01.001", Secret], "RateLimit:Redis:CheckTimeout must be from" },
        { ["RateLimit:Redis:Host=127.0.0.1", "RateLimit:Redis:RetryInterval=00:00:00.999", Secret], "RateLimit:Redis:RetryInterval must be from 00:00:01 to 00:05:00" },
        { ["RateLimit:Redis:Host=127.0.0.1", "RateLimit:Redis:RetryInterval=00:05:01", Secret], "RateLimit:Redis:RetryInterval must be from" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Bad_shared_rate_limit_settings_stop_start_up_with_a_message_naming_the_setting(string[] settings, string expected)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => ValidateAtStartup(settings));

        Assert.Contains(expected, refused.Message);
    }

    [Theory]
    [InlineData("RateLimit:Redis:Host=localhost", "RateLimit:Redis:UseTls=false", Secret, "RateLimit:Redis:CheckTimeout=00:00:00.01", "RateLimit:Redis:RetryInterval=00:00:01")]
    [InlineData("RateLimit:Redis:Host=::1", "RateLimit:Redis:UseTls=false", Secret, "RateLimit:Redis:CheckTimeout=00:00:01", "RateLimit:Redis:RetryInterval=00:05:00")]
    [InlineData("RateLimit:Redis:Host=cache.example.net", "RateLimit:Redis:Port=10000", Secret, "RateLimit:Redis:Authentication=EntraId", "RateLimit:Redis:KeyPrefix=func-abc:Production")]
    [InlineData("RateLimit:Redis:Host=cache.example.net", "RateLimit:Redis:Port=65535", Secret, "RateLimit:Redis:Authentication=Password", "RateLimit:Redis:Password=p")]
    [InlineData("RateLimit:Redis:Password=ignored-without-a-host")]
    public void Settings_on_the_edge_of_the_allowed_start(params string[] settings) => ValidateAtStartup(settings);

    [Fact]
    public async Task At_start_up_the_app_says_the_limit_is_shared_where_and_how_its_buckets_are_named()
    {
        using var app = new TestApp(new Dictionary<string, string?>
        {
            ["RateLimit:Redis:Host"] = "127.0.0.1",
            ["RateLimit:Redis:Port"] = "6390",
            ["RateLimit:Redis:UseTls"] = "false",
            ["RateLimit:Redis:Authentication"] = "Password",
            ["RateLimit:Redis:Password"] = "redis-password-not-for-logs",
            ["RateLimit:Redis:KeySecret"] = RedisFixture.KeySecret,
            [SharedRateLimitServiceCollectionExtensions.SiteNameSetting] = "func-abc123",
            ["CallerAuth:AllowAnonymous"] = "true",
            [SharedRateLimitServiceCollectionExtensions.FunctionsEnvironmentSetting] = "Staging",
        });

        await app.Get<IEnumerable<IHostedService>>().OfType<CallerAuthModeReporter>().Single().StartAsync(CancellationToken.None);

        var line = Assert.Single(app.Logs, log => log.Id.Id == 3014);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains("Redis 127.0.0.1:6390 (authentication Password, buckets func-abc123:Staging:*)", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Logs, log => log.Id.Id == 3013);
        Assert.DoesNotContain("redis-password-not-for-logs", app.AllLogText, StringComparison.Ordinal);
        Assert.DoesNotContain(RedisFixture.KeySecret, app.AllLogText, StringComparison.Ordinal);
    }
}
