using System.Net;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.Callers;

/// <summary>
/// The caller-token corpus in process, signed by the stand-in provider's published key: each inexact token is refused
/// 401 naming its defect before any claim is used, and the exact ones (canonical, white space in or around the JSON)
/// are accepted by the same app. The same corpus runs through the real worker in CallerTokenCorpusEndToEndTests.
/// </summary>
public sealed class CallerTokenFormatTests(CallerTokenFormatTests.StandInApp bed) : IClassFixture<CallerTokenFormatTests.StandInApp>
{
    /// <summary>One provider and one app for the whole corpus.</summary>
    public sealed class StandInApp : IAsyncLifetime
    {
        public OpenIdProviderStandIn Provider { get; private set; } = null!;

        public CallerTestApp App { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Provider = await OpenIdProviderStandIn.StartAsync();
            App = new CallerTestApp(Provider, TestApp.UnlimitedRate());
        }

        public async Task DisposeAsync()
        {
            App.Dispose();
            await Provider.DisposeAsync();
        }
    }

    public static TheoryData<string> Cases => new(CallerTokenCorpus.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_validly_signed_token_is_accepted_if_exact_and_otherwise_refused_naming_its_defect(string name)
    {
        var corpusCase = CallerTokenCorpus.ByName(name);
        var token = corpusCase.Make(new CallerTokenSigner(bed.Provider.RsaKey.KeyId, bed.Provider.RsaKey.Rsa, bed.Provider.Authority, OpenIdProviderStandIn.Audience));

        var issuedBefore = IssuedTokens();

        var response = await bed.App.PostAsync(token);

        if (corpusCase.Reason is null)
        {
            Assert.True(response.Status == HttpStatusCode.OK, $"{name}: {(int)response.Status} {response.Body}");
            return;
        }

        var detail = response.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_invalid").GetProperty("detail").GetString()!;
        Assert.True(detail.Contains(corpusCase.Reason, StringComparison.Ordinal), $"{name}: {detail}");
        Assert.StartsWith("Bearer error=\"invalid_token\"", response.Header("WWW-Authenticate"), StringComparison.Ordinal);
        Assert.Equal(issuedBefore, IssuedTokens());
    }

    /// <summary>The audit lines of issued tokens (event 2001) so far; the tests of a class run one at a time.</summary>
    private int IssuedTokens() => bed.App.App.Logs.Count(log => log.Id.Id == 2001);

    [Fact]
    public void The_corpus_has_every_class_and_distinct_tokens_of_one_signer()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var signer = new CallerTokenSigner("kid-1", rsa, "https://issuer.invalid", "api://x");

        var tokens = CallerTokenCorpus.All.Select(c => c.Make(signer)).ToArray();

        Assert.Equal(CallerTokenCorpus.Classes.Order(), CallerTokenCorpus.All.Select(c => c.Class).Distinct().Order());
        Assert.Equal(tokens.Length, tokens.Distinct().Count());
        Assert.Equal(CallerTokenCorpus.All.Count, CallerTokenCorpus.All.Select(c => c.Name).Distinct().Count());
    }
}
