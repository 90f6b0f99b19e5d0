using System.Net;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.EndToEnd;

public sealed class VaultRotationEndToEndTests(FastRefreshVaultWorker worker) : IClassFixture<FastRefreshVaultWorker>
{
    [Fact]
    public async Task After_a_rotation_in_the_vault_tokens_verify_with_the_new_secret_only_without_a_restart()
    {
        var original = worker.Current;
        var first = await worker.RequestTokenAsync();
        Assert.True(IndependentTokenVerifier.Verifies(Token(first), original.ApiSecret), first.Body);

        var rotated = worker.PutNewCredentials();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // One refresh interval, plus slack for a refresh already under way and a loaded machine.
        var after = await worker.PollAsync(worker.RequestTokenAsync,
            r => r.Status == HttpStatusCode.OK && IndependentTokenVerifier.Verifies(Token(r), rotated.ApiSecret),
            FastRefreshVaultWorker.Refresh * 2);

        JoinTokenAssertions.AssertJoinToken(after, rotated.ApiKey, rotated.ApiSecret, VaultModeWorker.DefaultTtlSeconds, before);
        Assert.False(IndependentTokenVerifier.Verifies(Token(after), original.ApiSecret));
        worker.AssertNothingSecretWasLogged([Token(first), Token(after)]);
    }

    private static string Token(ReadResponse response) => response.Json.GetProperty("token").GetString()!;
}
