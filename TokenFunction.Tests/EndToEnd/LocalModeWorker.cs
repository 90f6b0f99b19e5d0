using System.Security.Cryptography;
using TokenFunction.Tests.TestInfrastructure;
using TokenFunction.Tests.TestInfrastructure.FunctionsHost;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>The built app in development mode, started with the repository's local.settings.sample.json as Core Tools would.</summary>
public sealed class LocalModeWorker : FunctionsHostFixture
{
    // The sample's placeholder secret is replaced, as its name asks: it is 31 bytes, and HS256 verifiers
    // such as Microsoft.IdentityModel refuse keys shorter than 256 bits.
    private readonly FunctionsHostOptions _options = SampleSettings();

    /// <summary>The repository's local.settings.sample.json with a fresh 256-bit secret; shared by every local-mode worker.</summary>
    public static FunctionsHostOptions SampleSettings() =>
        new FunctionsHostOptions()
            .WithSettingsFile(Path.Combine(AppContext.BaseDirectory, "local.settings.sample.json"))
            .WithSetting("VideoSdk__ApiSecret", Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));

    public string ApiKey => _options.AppSettings["VideoSdk__ApiKey"];

    public string ApiSecret => _options.AppSettings["VideoSdk__ApiSecret"];

    public int DefaultTtlSeconds => int.Parse(_options.AppSettings["Tokens__DefaultTtlSeconds"]);

    protected override Task<FunctionsHostOptions> CreateOptionsAsync() => Task.FromResult(_options);
}
