using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;
using TokenFunction.Rooms;
using TokenFunction.Secrets;
using TokenFunction.Tests.TestInfrastructure;
using TokenFunction.Tokens;
using TokenFunction.VideoSdk;

namespace TokenFunction.Tests.Rooms;

public sealed class ManagementTokenSourceTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private readonly Mock<ISigningCredentialsProvider> _credentials = new();
    private SigningCredentials _current = new(TestApp.ApiKey, TestApp.ApiSecret, "v1");

    public ManagementTokenSourceTests() =>
        _credentials.Setup(p => p.GetAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => CredentialsLookup.Available(_current));

    private ManagementTokenSource CreateSource() => new(
        _credentials.Object, new VideoSdkTokenMinter(_clock), Options.Create(new RoomsOptions { ManagementTokenLifetime = Lifetime }), _clock);

    private static async Task<string> TokenAsync(ManagementTokenSource source) =>
        (await source.GetAsync(CancellationToken.None)).Value!.Token;

    [Fact]
    public async Task A_token_is_reused_until_30_seconds_before_it_expires_then_replaced()
    {
        var source = CreateSource();
        var first = await TokenAsync(source);

        _clock.Advance(Lifetime - ManagementTokenSource.RenewBeforeExpiry - TimeSpan.FromSeconds(1));
        Assert.Equal(first, await TokenAsync(source));

        _clock.Advance(TimeSpan.FromSeconds(1));
        var second = await TokenAsync(source);
        Assert.NotEqual(first, second);
        var (_, payload) = IndependentTokenVerifier.Verify(second, TestApp.ApiSecret, _clock.GetUtcNow());
        Assert.Equal(_clock.GetUtcNow().ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task A_rotated_secret_is_used_at_once()
    {
        var source = CreateSource();
        var before = await TokenAsync(source);

        _current = new SigningCredentials(TestApp.ApiKey, "rotated-secret-0c41-long-enough-for-hs256", "v2");
        var after = await TokenAsync(source);

        Assert.NotEqual(before, after);
        IndependentTokenVerifier.Verify(after, "rotated-secret-0c41-long-enough-for-hs256", _clock.GetUtcNow());
    }

    [Fact]
    public async Task Without_credentials_the_answer_is_a_503_problem()
    {
        _credentials.Setup(p => p.GetAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(CredentialsLookup.Unavailable("not loaded yet.", TimeSpan.FromSeconds(3)));

        var outcome = await CreateSource().GetAsync(CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal("signing_credentials_unavailable", outcome.Problem.Error.Code);
        Assert.Equal(TimeSpan.FromSeconds(3), outcome.Problem.RetryAfter);
        Assert.Equal("VideoSDK cannot be called right now: not loaded yet. Retry later.", outcome.Problem.Detail);
    }
}
