using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Moq;
using TokenFunction.Functions;
using TokenFunction.Problems;
using TokenFunction.Secrets;
using TokenFunction.Tests.Callers;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Functions;

/// <summary>The anonymous health answer: healthy, or unhealthy with a documented reason code, and nothing an outsider could use.</summary>
public class HealthFunctionTests
{
    [Fact]
    public async Task Healthy_says_only_healthy()
    {
        using var app = new TestApp();

        var response = await CheckAsync(app);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("""{"status":"healthy"}""", response.Body);
        Assert.Equal("no-store", response.Header("Cache-Control"));
    }

    [Theory]
    [InlineData(false, HealthReasons.CredentialsUnavailable)]
    [InlineData(true, HealthReasons.CredentialsStale)]
    public async Task Unhealthy_credentials_give_a_reason_code_and_no_detail(bool loadedOnce, string reason)
    {
        var health = new CredentialsHealth(false, KeyVaultCredentialsCache.SourceName, loadedOnce ? DateTimeOffset.UtcNow.AddHours(-2) : null);
        using var app = new TestApp(configure: services => services.AddSingleton(Provider(health).Object));

        var response = await CheckAsync(app);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.Status);
        Assert.Equal($$"""{"status":"unhealthy","reason":"{{reason}}"}""", response.Body);
    }

    [Fact]
    public async Task An_unreachable_identity_provider_is_reported_by_its_code_once_a_caller_has_met_it()
    {
        await using var provider = await OpenIdProviderStandIn.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var app = new CallerTestApp(provider, configure: services => services.AddSingleton<TimeProvider>(time));
        Assert.Equal("""{"status":"healthy"}""", (await CheckAsync(app.App)).Body);
        provider.Available = false;
        var fetchesBefore = provider.DiscoveryFetches;

        await app.PostAsync(provider.IssueToken());
        time.Advance(HealthProbe.CacheFor);
        var response = await CheckAsync(app.App);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.Status);
        Assert.Equal($$"""{"status":"unhealthy","reason":"{{HealthReasons.CallerAuthorityUnavailable}}"}""", response.Body);
        Assert.InRange(provider.DiscoveryFetches - fetchesBefore, 1, 2); // the caller's attempt (one retry inside the library); health fetched nothing
    }

    [Fact]
    public async Task Answers_are_worked_out_at_most_once_a_second_however_many_ask()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var provider = Provider(new CredentialsHealth(true, ConfigurationCredentialsProvider.SourceName, null));
        using var app = new TestApp(configure: services => services.AddSingleton(provider.Object).AddSingleton<TimeProvider>(time));

        for (var i = 0; i < 50; i++)
        {
            await CheckAsync(app);
        }

        provider.Verify(p => p.GetHealth(), Times.Once);
        time.Advance(HealthProbe.CacheFor);
        await CheckAsync(app);
        provider.Verify(p => p.GetHealth(), Times.Exactly(2));
    }

    [Fact]
    public void The_reason_codes_are_exactly_those_the_contract_and_the_documentation_list()
    {
        var contract = Contract.PublishedContract.Load().Document.Components!.Schemas!["Health"].Properties!["reason"].Enum!
            .Select(node => node.GetValue<string>());
        var documentation = File.ReadAllText(Path.Combine(Infra.InfraWorkspace.RepositoryRoot, "docs", "security.md"));

        Assert.Equal(HealthReasons.All.Order(), contract.Order());
        Assert.All(HealthReasons.All, code => Assert.Contains($$"""{"status":"unhealthy","reason":"{{code}}"}""", documentation, StringComparison.Ordinal));
    }

    private static Mock<ISigningCredentialsProvider> Provider(CredentialsHealth health)
    {
        var provider = new Mock<ISigningCredentialsProvider>();
        provider.Setup(p => p.GetHealth()).Returns(health);
        return provider;
    }

    private static async Task<ReadResponse> CheckAsync(TestApp app) => ReadResponse.From(await app.CallHealthAsync());
}
