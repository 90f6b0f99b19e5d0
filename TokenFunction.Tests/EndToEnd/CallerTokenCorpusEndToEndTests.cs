using System.Net;
using TokenFunction.Tests.Callers;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>
/// The caller-token corpus through the real worker: every token signed with the real OpenID provider's own RS256 key
/// (the one it signs the bearer-mode tests' tokens with), for the worker's issuer and audience. The inexact ones are
/// each refused 401 naming their defect, before any claim is used; the canonical control and its white-space
/// variants, signed by the same key in the same run, get a token.
/// </summary>
public sealed class CallerTokenCorpusEndToEndTests(BearerModeWorker worker) : IClassFixture<BearerModeWorker>
{
    public static TheoryData<string> Cases => new(CallerTokenCorpus.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_token_signed_by_the_provider_s_key_is_accepted_if_exact_and_otherwise_refused_naming_its_defect(string name)
    {
        var corpusCase = CallerTokenCorpus.ByName(name);
        var (kid, key) = worker.Provider.RsaSigningKey();
        using var _ = key;
        var token = corpusCase.Make(new CallerTokenSigner(kid, key, worker.Provider.Authority, ProviderResources.Rs256));

        var response = await worker.PostTokenAsync(token);

        if (corpusCase.Reason is null)
        {
            Assert.True(response.Status == HttpStatusCode.OK, $"{name}: {(int)response.Status} {response.Body}");
            var (_, claims) = IndependentTokenVerifier.Verify(response.Json.GetProperty("token").GetString()!, worker.ApiSecret);
            Assert.Equal(CallerTokenCorpus.Subject, claims.GetProperty("participantId").GetString());
            return;
        }

        var detail = response.AssertProblem(HttpStatusCode.Unauthorized, "caller_token_invalid").GetProperty("detail").GetString()!;
        Assert.True(detail.Contains(corpusCase.Reason, StringComparison.Ordinal), $"{name}: {detail}");
        Assert.StartsWith("Bearer error=\"invalid_token\"", response.Header("WWW-Authenticate"), StringComparison.Ordinal);
        Assert.DoesNotContain(worker.Host.Log.Snapshot(), e => e.Level is "Error" or "Critical");
    }
}
