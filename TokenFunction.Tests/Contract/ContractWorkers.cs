using System.Net;
using TokenFunction.Tests.Callers;
using TokenFunction.Tests.EndToEnd;
using TokenFunction.Tests.Rooms;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Contract;

/// <summary>The anonymous worker: local settings, room creation on, the VideoSDK stand-in answering by <see cref="ContractWorkers.Reply"/>.</summary>
public sealed class AnonymousContractWorker : FunctionsHostFixture
{
    public VideoSdkApiStandIn VideoSdk { get; private set; } = null!;

    protected override async Task<FunctionsHostOptions> CreateOptionsAsync()
    {
        VideoSdk = await VideoSdkApiStandIn.StartAsync();
        VideoSdk.Reply = ContractWorkers.Reply;
        return LocalModeWorker.SampleSettings()
            .WithSetting("Rooms__AllowCreate", "true")
            .WithSetting("Rooms__VideoSdkBaseUrl", VideoSdk.BaseUrl.ToString())
            .WithSetting("Rooms__AttemptTimeout", RoomsTestBed.AttemptTimeout.ToString())
            .WithSetting("Rooms__TotalTimeout", (RoomsTestBed.AttemptTimeout * 2).ToString())
            // Per client address (X-Forwarded-For): each scenario sends its own, the 429 one sends it until refused.
            .WithSetting("RateLimit__Burst", ContractWorkers.RateLimit.ToString())
            .WithSetting("RateLimit__TokensPerPeriod", ContractWorkers.RateLimit.ToString());
    }

    protected override async Task DisposeDependenciesAsync() => await VideoSdk.DisposeAsync();
}

/// <summary>Vault mode with nothing in the vault: tokens, rooms and health answer 503; room creation is on.</summary>
public sealed class EmptyVaultContractWorker : VaultModeWorker
{
    protected override void PrepareVault()
    {
    }

    protected override async Task<FunctionsHostOptions> CreateOptionsAsync() =>
        (await base.CreateOptionsAsync()).WithSetting("Rooms__AllowCreate", "true");
}

/// <summary>Bearer mode against the OpenID provider stand-in; holders of the <c>host</c> role may create rooms.</summary>
public sealed class BearerContractWorker : FunctionsHostFixture
{
    private string? _trustFile;

    public OpenIdProviderStandIn Provider { get; private set; } = null!;

    protected override async Task<FunctionsHostOptions> CreateOptionsAsync()
    {
        Provider = await OpenIdProviderStandIn.StartAsync();
        var options = LocalModeWorker.SampleSettings()
            .WithSetting("CallerAuth__Authority", Provider.Authority)
            .WithSetting("CallerAuth__Audiences__0", OpenIdProviderStandIn.Audience)
            .WithSetting("Rooms__CreatorRoles__0", RoomsTestBed.CreatorRole);
        options.TrustCertificate(Provider.TlsCertificate);
        _trustFile = options.AppSettings["SSL_CERT_FILE"];
        return options;
    }

    protected override async Task DisposeDependenciesAsync()
    {
        await Provider.DisposeAsync();
        if (_trustFile is not null)
        {
            File.Delete(_trustFile);
        }
    }
}

/// <summary>
/// The three real workers the generated clients drive over the host's HTTP/1.1 front, between them able to give
/// every documented answer; shared by the TypeScript and the Kiota tests.
/// </summary>
public sealed class ContractWorkers : IAsyncLifetime
{
    public const string Collection = "Contract workers";

    // Above the four sends of one create with Kiota's default retries, so the retry test meets no 429.
    public const int RateLimit = 5;

    /// <summary>Room ids (or custom room ids) that make the VideoSDK stand-in fail in one way.</summary>
    public const string UpstreamRateLimited = "upstream-429";
    public const string UpstreamRefusesCredentials = "upstream-401";
    public const string UpstreamTimesOut = "upstream-timeout";
    public const string UpstreamRejects = "upstream-400";

    public AnonymousContractWorker Anonymous { get; } = new();

    public EmptyVaultContractWorker EmptyVault { get; } = new();

    public BearerContractWorker Bearer { get; } = new();

    public static StandInReply? Reply(RecordedRequest request) =>
        Marked(request, UpstreamRateLimited) ? new(HttpStatusCode.TooManyRequests, RetryAfter: "3")
        : Marked(request, UpstreamRefusesCredentials) ? new(HttpStatusCode.Unauthorized)
        : Marked(request, UpstreamTimesOut) ? new(HttpStatusCode.OK, Delay: TimeSpan.FromSeconds(30))
        : Marked(request, UpstreamRejects) ? new(HttpStatusCode.BadRequest, "{\"statusCode\":400,\"error\":\"Invalid autoCloseConfig type\"}")
        : null;

    private static bool Marked(RecordedRequest request, string marker) =>
        request.Path.Contains(marker, StringComparison.Ordinal) || request.Body.Contains(marker, StringComparison.Ordinal);

    public Task InitializeAsync() => Task.WhenAll(Anonymous.InitializeAsync(), EmptyVault.InitializeAsync(), Bearer.InitializeAsync());

    public Task DisposeAsync() => Task.WhenAll(Anonymous.DisposeAsync(), EmptyVault.DisposeAsync(), Bearer.DisposeAsync());
}

[CollectionDefinition(ContractWorkers.Collection)]
public sealed class ContractWorkersDefinition : ICollectionFixture<ContractWorkers>;
