using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>The built app in development mode, started with the repository's local.settings.sample.json as Core Tools would.</summary>
public sealed class LocalModeWorker : FunctionsHostFixture
{
    private readonly FunctionsHostOptions _options = SampleSettings();

    /// <summary>
    /// The repository's local.settings.sample.json, placeholder secret included: the app refuses to start with a
    /// secret shorter than 32 bytes, so the sample a developer copies must satisfy that rule. Only the rate limit
    /// is raised: every test request comes from one address, and these tests are not about the limiter.
    /// </summary>
    public static FunctionsHostOptions SampleSettings() =>
        new FunctionsHostOptions()
            .WithSettingsFile(Path.Combine(AppContext.BaseDirectory, "local.settings.sample.json"))
            .WithSetting("RateLimit__Burst", "100000")
            .WithSetting("RateLimit__TokensPerPeriod", "100000");

    public string ApiKey => _options.AppSettings["VideoSdk__ApiKey"];

    public string ApiSecret => _options.AppSettings["VideoSdk__ApiSecret"];

    public int DefaultTtlSeconds => int.Parse(_options.AppSettings["Tokens__DefaultTtlSeconds"]);

    protected override Task<FunctionsHostOptions> CreateOptionsAsync() => Task.FromResult(_options);
}
