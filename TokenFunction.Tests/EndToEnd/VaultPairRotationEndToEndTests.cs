using System.Collections.Concurrent;
using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using TokenFunction.Tests.Secrets;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>
/// A rotation is atomic for the app (on a worker of its own: the story holds the vault half-rotated): while the new key is in the vault but its secret is not yet (for longer
/// than a refresh interval, so refreshes land in between), every token issued still verifies with the secret
/// of the key it names; once the secret follows, tokens move to the new pair.
/// </summary>
public sealed class VaultPairRotationEndToEndTests(FastRefreshVaultWorker worker) : IClassFixture<FastRefreshVaultWorker>
{
    [Fact]
    public async Task Every_token_issued_across_a_rotation_verifies_with_the_pair_its_apikey_names()
    {
        var original = worker.Current;
        var newKey = SecretValues.NewApiKey();
        var newSecret = SecretValues.NewApiSecret();
        var secretOf = new Dictionary<string, string> { [original.ApiKey] = original.ApiSecret, [newKey] = newSecret };
        var issued = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var issuing = IssueUntilStoppedAsync(issued, stop.Token);

        await worker.Azure.PutCredentialsAsync(newKey, newSecret, () => Task.Delay(FastRefreshVaultWorker.Refresh + TimeSpan.FromSeconds(3)));
        // The poll's own tokens count too: under load the issuing loop may not get a turn between the first
        // new-key token and the stop.
        await worker.PollAsync(worker.RequestTokenAsync,
            response =>
            {
                if (response.Status != HttpStatusCode.OK)
                {
                    return false;
                }

                var token = response.Json.GetProperty("token").GetString()!;
                issued.Enqueue(token);
                return ApiKeyOf(token) == newKey;
            },
            FastRefreshVaultWorker.Refresh * 2);
        await stop.CancelAsync();
        await issuing;

        Assert.Equal(new[] { original.ApiKey, newKey }.Order(StringComparer.Ordinal), issued.Select(ApiKeyOf).Distinct().Order(StringComparer.Ordinal));
        Assert.All(issued, token => Assert.True(IndependentTokenVerifier.Verifies(token, secretOf[ApiKeyOf(token)]),
            $"a token naming {(ApiKeyOf(token) == newKey ? "the new" : "the old")} key does not verify with that key's secret"));
        worker.AssertNothingSecretWasLogged(issued);
    }

    private async Task IssueUntilStoppedAsync(ConcurrentQueue<string> issued, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var response = await worker.RequestTokenAsync();
            if (response.Status == HttpStatusCode.OK)
            {
                issued.Enqueue(response.Json.GetProperty("token").GetString()!);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }
    }

    private static string ApiKeyOf(string token) => new JsonWebToken(token).GetPayloadValue<string>("apikey");
}
