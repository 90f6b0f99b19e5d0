using System.Net;
using System.Text.Json;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>What a 200 answer to a join request (room and participant, default permissions and lifetime) must hold, exactly.</summary>
internal static class JoinTokenAssertions
{
    public const string RoomId = "abcd-efgh-ijkl";
    public const string ParticipantId = "user-42";

    /// <param name="requestedAt">Unix seconds just before the request was sent.</param>
    /// <returns>The token's claims, verified independently with <paramref name="apiSecret"/>.</returns>
    public static JsonElement AssertJoinToken(ReadResponse response, string apiKey, string apiSecret, int ttlSeconds, long requestedAt)
    {
        Assert.True(response.Status == HttpStatusCode.OK, $"{(int)response.Status}: {response.Body}");
        Assert.Equal("no-store", response.Header("Cache-Control"));
        var (_, claims) = IndependentTokenVerifier.Verify(response.Json.GetProperty("token").GetString()!, apiSecret);
        Assert.Equal(apiKey, claims.GetProperty("apikey").GetString());
        Assert.Equal(["allow_join"], claims.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(2, claims.GetProperty("version").GetInt32());
        Assert.Equal(["rtc"], claims.GetProperty("roles").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(RoomId, claims.GetProperty("roomId").GetString());
        Assert.Equal(ParticipantId, claims.GetProperty("participantId").GetString());
        var issuedAt = claims.GetProperty("iat").GetInt64();
        Assert.InRange(issuedAt, requestedAt - 5, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        Assert.Equal(issuedAt, claims.GetProperty("nbf").GetInt64());
        Assert.Equal(issuedAt + ttlSeconds, claims.GetProperty("exp").GetInt64());
        Assert.True(Guid.TryParse(claims.GetProperty("jti").GetString(), out _));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(issuedAt + ttlSeconds), response.Json.GetProperty("expiresAt").GetDateTimeOffset());
        return claims;
    }
}
