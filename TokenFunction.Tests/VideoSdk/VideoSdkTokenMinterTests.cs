using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TokenFunction.Tests.TestInfrastructure;
using TokenFunction.VideoSdk;

namespace TokenFunction.Tests.VideoSdk;

public class VideoSdkTokenMinterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly SigningCredentials Credentials = new(TestApp.ApiKey, TestApp.ApiSecret, "v1");

    private readonly VideoSdkTokenMinter _minter = new(new FakeTimeProvider(Now));

    [Fact]
    public void Token_carries_exactly_the_VideoSDK_claims_with_their_JSON_types()
    {
        var issued = _minter.MintClientToken(["allow_join", "allow_mod"], "abcd-efgh-ijkl", "user-42", TimeSpan.FromMinutes(10), Credentials);
        var (_, payload) = IndependentTokenVerifier.Verify(issued.Token, TestApp.ApiSecret, Now);

        Assert.Equal(
            ["apikey", "exp", "iat", "jti", "nbf", "participantId", "permissions", "roles", "roomId", "version"],
            payload.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(TestApp.ApiKey, payload.GetProperty("apikey").GetString());
        Assert.Equal(["allow_join", "allow_mod"], payload.GetProperty("permissions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("2", payload.GetProperty("version").GetRawText());
        Assert.Equal(["rtc"], payload.GetProperty("roles").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("abcd-efgh-ijkl", payload.GetProperty("roomId").GetString());
        Assert.Equal("user-42", payload.GetProperty("participantId").GetString());
        Assert.Equal(Now.ToUnixTimeSeconds().ToString(), payload.GetProperty("iat").GetRawText());
        Assert.Equal(Now.ToUnixTimeSeconds().ToString(), payload.GetProperty("nbf").GetRawText());
        Assert.Equal((Now.ToUnixTimeSeconds() + 600).ToString(), payload.GetProperty("exp").GetRawText());
        Assert.Equal(issued.TokenId, payload.GetProperty("jti").GetString());
        Assert.Equal(Now.AddMinutes(10), issued.ExpiresAt);
    }

    [Fact]
    public void Management_token_is_a_short_lived_crawler_token_bound_to_no_room_or_participant()
    {
        var token = _minter.MintManagementToken(TimeSpan.FromMinutes(5), Credentials);
        var (_, payload) = IndependentTokenVerifier.Verify(token.Token, TestApp.ApiSecret, Now);

        Assert.Equal(["crawler"], payload.GetProperty("roles").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("2", payload.GetProperty("version").GetRawText());
        Assert.Equal(["allow_join"], payload.GetProperty("permissions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(300, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
        Assert.False(payload.TryGetProperty("roomId", out _));
        Assert.False(payload.TryGetProperty("participantId", out _));
        Assert.Equal(Now.AddMinutes(5), token.ExpiresAt);
        Assert.DoesNotContain(token.Token, token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Room_and_participant_claims_are_absent_when_not_granted()
    {
        var issued = _minter.MintClientToken(["ask_join"], null, null, TimeSpan.FromHours(1), Credentials);
        var (_, payload) = IndependentTokenVerifier.Verify(issued.Token, TestApp.ApiSecret, Now);

        Assert.False(payload.TryGetProperty("roomId", out _));
        Assert.False(payload.TryGetProperty("participantId", out _));
        Assert.Equal(JsonValueKind.Array, payload.GetProperty("roles").ValueKind);
    }

    [Fact]
    public void Jti_is_a_fresh_random_version_4_uuid_per_token()
    {
        var ids = Enumerable.Range(0, 2000).Select(_ => _minter.MintClientToken(["allow_join"], null, null, TimeSpan.FromHours(1), Credentials).TokenId).ToArray();

        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(ids, id =>
        {
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
        });
    }

    [Fact]
    public void A_token_signed_with_a_rotated_secret_does_not_verify_with_the_old_one()
    {
        var rotated = new SigningCredentials(TestApp.ApiKey, "the-rotated-secret-0123456789abcdef", "v2");
        var issued = _minter.MintClientToken(["allow_join"], null, null, TimeSpan.FromHours(1), rotated);

        IndependentTokenVerifier.Verify(issued.Token, "the-rotated-secret-0123456789abcdef", Now);
        Assert.ThrowsAny<Exception>(() => IndependentTokenVerifier.Verify(issued.Token, TestApp.ApiSecret, Now));
    }

    [Fact]
    public void Neither_credentials_nor_issued_tokens_print_their_secrets()
    {
        var issued = _minter.MintClientToken(["allow_join"], null, null, TimeSpan.FromHours(1), Credentials);

        Assert.DoesNotContain(TestApp.ApiSecret, Credentials.ToString());
        Assert.DoesNotContain(TestApp.ApiKey, Credentials.ToString());
        Assert.DoesNotContain(issued.Token, issued.ToString());
    }
}
