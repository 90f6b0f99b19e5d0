using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using TokenFunction.Tests.Contract;
using TokenFunction.Tests.Infra;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>Bearer mode for the web sample: its public client registered at the provider, its origin allowed by CORS.</summary>
public sealed class SampleWebWorker(Uri pageUrl) : BearerModeWorker
{
    public const string ClientId = "videosdk-web-sample";

    protected override IEnumerable<ProviderClient> MoreClients => [new ProviderClient(ClientId, RedirectUris: [pageUrl.ToString()])];

    protected override void Configure(FunctionsHostOptions options) =>
        options.Cors = new HostCors([pageUrl.GetLeftPart(UriPartial.Authority)]);
}

/// <summary>
/// samples/web served as a developer would serve it (static files on its own loopback origin, its packages from
/// `npm ci`, the token-source package built), with a config.json naming the real provider and worker of this run.
/// </summary>
public sealed class SampleWebPage : IAsyncLifetime
{
    /// <summary>The lifetime the page asks for: renewed when 60 s are left, so a 61 s jump of its clock forces it.</summary>
    public const int TtlSeconds = 120;

    private static readonly string SampleFolder = Path.Combine(InfraWorkspace.RepositoryRoot, "samples", "web");

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript; charset=utf-8", [".json"] = "application/json",
    };

    // The page's import of node_modules/videosdk-token-source/dist/ is served from this copy of the build.
    private const string PackagePath = "/node_modules/videosdk-token-source/dist/";

    private readonly DirectoryInfo _packageBuild = Directory.CreateTempSubdirectory("token-source-dist-");
    private LoopbackServer? _server;
    private SampleWebWorker? _worker;

    public Uri PageUrl => _server?.BaseAddress ?? throw new InvalidOperationException("Not started.");

    public SampleWebWorker Worker => _worker ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        await Prerequisites.Machine.EnsureNpmPackagesAsync(SampleFolder);
        await TokenSourcePackage.BuildIntoAsync(_packageBuild.FullName);

        _server = await LoopbackServer.StartAsync(null, ServeAsync);
        _worker = new SampleWebWorker(_server.BaseAddress);
        await _worker.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _packageBuild.Delete(recursive: true);
    }

    private async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value is "/" or null ? "/index.html" : context.Request.Path.Value;
        if (path == "/config.json")
        {
            context.Response.ContentType = ContentTypes[".json"];
            await context.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                authority = Worker.Provider.Authority,
                clientId = SampleWebWorker.ClientId,
                resource = ProviderResources.Rs256,
                scope = "openid api",
                apiBaseUrl = new Uri(Worker.BaseAddress, "api").ToString(),
                ttlSeconds = TtlSeconds,
            }));
            return;
        }

        var root = path.StartsWith(PackagePath, StringComparison.Ordinal) ? _packageBuild.FullName : SampleFolder;
        var file = Path.GetFullPath(Path.Combine(root, path[(root == SampleFolder ? 1 : PackagePath.Length)..]));
        if (!file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = ContentTypes.GetValueOrDefault(Path.GetExtension(file), "application/octet-stream");
        await context.Response.SendFileAsync(file);
    }
}

/// <summary>
/// The web sample in Debian's Chromium (playwright-core, one launch): sign-in at the real OpenID provider
/// (authorization code + PKCE, the API's audience through a resource indicator, the provider's certificate the only
/// one the browser is told to accept), a token for a room from the real worker across origins (CORS), the token
/// verified, and a forced expiry renewed. Saves a screenshot of the signed-in page under the test output.
/// </summary>
public sealed class SampleWebPageBrowserTests(SampleWebPage sample) : IClassFixture<SampleWebPage>
{
    private const string Login = "web-user-1";
    private const string Room = "abcd-efgh-ijkl";

    private static readonly string BrowserScripts = Path.Combine(InfraWorkspace.RepositoryRoot, "TokenFunction.Tests", "EndToEnd", "browser");

    /// <summary>Where the run leaves the signed-in page's screenshot: bin/{Configuration}/net10.0/artifacts/ of the test project.</summary>
    public static readonly string ScreenshotPath = Path.Combine(AppContext.BaseDirectory, "artifacts", "sample-web-signed-in.png");

    [Fact]
    public async Task A_user_signs_in_gets_a_verified_token_across_origins_and_the_page_renews_it_at_a_forced_expiry()
    {
        var chromium = await Prerequisites.Machine.EnsureDebianPackageAsync("chromium", "chromium");
        await Prerequisites.Machine.EnsureNpmPackagesAsync(BrowserScripts);
        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        File.Delete(ScreenshotPath);
        var worker = sample.Worker;

        var run = await ContractTooling.RunAsync("node", ["sign-in-and-renew.mjs"], BrowserScripts, new Dictionary<string, string>
        {
            ["CHROMIUM"] = chromium,
            ["PAGE_URL"] = sample.PageUrl.ToString(),
            ["PROVIDER_SPKI"] = Convert.ToBase64String(SHA256.HashData(worker.Provider.Certificate.Certificate.PublicKey.ExportSubjectPublicKeyInfo())),
            ["LOGIN"] = Login,
            ["ROOM"] = Room,
            ["VIDEOSDK_API_KEY"] = worker.ApiKey,
            ["VIDEOSDK_API_SECRET"] = worker.ApiSecret,
            ["SCREENSHOT"] = ScreenshotPath,
        });

        Assert.True(run.ExitCode == 0, run + Environment.NewLine + "Worker log:" + Environment.NewLine + worker.Host.Log.Tail());
        var seen = JsonDocument.Parse(run.Output.Trim().Split('\n')[^1]).RootElement;
        Assert.Empty(seen.GetProperty("failures").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("error").ValueKind);
        // Two calls from the page's origin, the first token and its renewal, both answered: CORS let the page read them.
        Assert.Equal([200, 200], seen.GetProperty("statuses").EnumerateArray().Select(s => s.GetInt32()));
        Assert.Equal([sample.PageUrl.GetLeftPart(UriPartial.Authority)], seen.GetProperty("origins").EnumerateArray().Select(o => o.GetString()));
        var claims = seen.GetProperty("claims").EnumerateArray().ToList();
        Assert.All(claims, token =>
        {
            Assert.True(token.GetProperty("apikey").GetBoolean());
            Assert.Equal(Room, token.GetProperty("roomId").GetString());
            Assert.Equal(Login, token.GetProperty("participantId").GetString());
            Assert.Equal(SampleWebPage.TtlSeconds, token.GetProperty("lifetime").GetInt32());
        });
        var first = seen.GetProperty("first");
        Assert.Equal(Login, first.GetProperty("participant").GetString());
        Assert.Equal(Room, first.GetProperty("room").GetString());
        Assert.Equal(claims[0].GetProperty("jti").GetString(), first.GetProperty("jti").GetString());
        Assert.Equal(claims[1].GetProperty("jti").GetString(), seen.GetProperty("renewedJti").GetString());
        Assert.NotEqual(claims[0].GetProperty("jti").GetString(), claims[1].GetProperty("jti").GetString());
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(ScreenshotPath)[..4]);
    }
}
