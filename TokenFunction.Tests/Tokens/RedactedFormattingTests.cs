using System.Text.Json;
using TokenFunction.Tokens;
using TokenFunction.VideoSdk;

namespace TokenFunction.Tests.Tokens;

/// <summary>
/// A token formatted by accident (a log template, an exception message, a debugger) shows what may be logged, its
/// id and expiry, and never the token.
/// </summary>
public sealed class RedactedFormattingTests
{
    private const string Token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    private static readonly DateTimeOffset Expires = new(2026, 11, 30, 12, 5, 0, TimeSpan.Zero);

    [Fact]
    public void An_issued_token_shows_its_id_and_expiry_only()
    {
        var issued = new IssuedToken(Token, "jti-1", Expires.AddMinutes(-5), Expires, null!);

        Assert.Equal("IssuedToken(jti: jti-1, expires: 2026-11-30T12:05:00.0000000+00:00, token redacted)", $"{issued}");
    }

    [Fact]
    public void A_signed_token_shows_its_id_and_expiry_only()
    {
        var signed = new SignedToken(Token, "jti-3", Expires.AddMinutes(-5), Expires);

        Assert.Equal("SignedToken(jti: jti-3, expires: 2026-11-30T12:05:00.0000000+00:00, token redacted)", $"{signed}");
    }

    [Fact]
    public void A_management_token_shows_its_id_and_expiry_only()
    {
        var management = new ManagementToken(Token, "jti-2", Expires, new SigningCredentials("key", "secret-0123456789abcdef0123456789abcdef"));

        Assert.Equal("ManagementToken(jti: jti-2, expires: 2026-11-30T12:05:00.0000000+00:00, token redacted)", $"{management}");
    }

    [Fact]
    public void The_claims_serializer_refuses_JSON_null_naming_the_type_it_expected()
    {
        var refused = Assert.Throws<JsonException>(() => new SystemTextJsonJwtSerializer().Deserialize<Dictionary<string, object>>("null"));

        Assert.Equal("The JSON text is null where a Dictionary`2 was expected.", refused.Message);
    }
}
