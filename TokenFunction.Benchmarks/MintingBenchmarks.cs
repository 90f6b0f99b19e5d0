using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using JWT;
using JWT.Algorithms;
using JWT.Builder;
using JWT.Serializers;
using TokenFunction.VideoSdk;

namespace TokenFunction.Benchmarks;

/// <summary>
/// The cost of minting one token as the token function does it, beside the floor (one HMAC-SHA256 over a
/// signing input of the same size), Jwt.Net's naive use (a new JwtBuilder per token), and the minter's encoder
/// with one of its three replaced extension points put back to Jwt.Net's own: what each replacement saves.
/// </summary>
[MemoryDiagnoser]
public class MintingBenchmarks
{
    private static readonly SigningCredentials Credentials =
        new("5d0a6f2c-1b7e-4d3a-9f10-2c8e4b7a6d51", "c0ffee0ddba11f00dfeedbeefcafe0123456789abcdef0123456789abcdef01", "v1");

    private static readonly string[] Permissions = ["allow_join"];
    private const string RoomId = "abcd-efgh-ijkl";
    private const string ParticipantId = "user-1234567890";
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private static readonly string[] ClientRoles = [VideoSdkClaims.RtcRole];

    private readonly VideoSdkTokenMinter _minter = new(TimeProvider.System);

    private readonly JwtEncoder _withJwtNetHmac =
        new(new HMACSHA256Algorithm(), new SystemTextJsonJwtSerializer(), new Base64UrlCodec());

    private readonly JwtEncoder _withJwtNetBase64Url =
        new(new HmacSha256JwtAlgorithm(), new SystemTextJsonJwtSerializer(), new JwtBase64UrlEncoder());

    private readonly JwtEncoder _withJwtNetSerializer =
        new(new HmacSha256JwtAlgorithm(), new JsonNetSerializer(), new Base64UrlCodec());

    private byte[] _signingInput = [];

    [GlobalSetup]
    public void Setup()
    {
        var token = Mint();
        _signingInput = Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);
        Console.WriteLine($"// signing input: {_signingInput.Length} bytes");
    }

    [Benchmark(Baseline = true, Description = "floor: HMACSHA256.HashData over the signing input")]
    public byte[] Floor() => HMACSHA256.HashData(Credentials.SecretBytes, _signingInput);

    [Benchmark(Description = "VideoSdkTokenMinter.MintClientToken (as the function does it)")]
    public string Mint() => _minter.MintClientToken(Permissions, RoomId, ParticipantId, Lifetime, Credentials).Token;

    [Benchmark(Description = "the minter's encoder with Jwt.Net's HMACSHA256Algorithm")]
    public string WithJwtNetHmac() => _withJwtNetHmac.Encode(null, Claims(), Credentials.SecretBytes);

    [Benchmark(Description = "the minter's encoder with Jwt.Net's JwtBase64UrlEncoder")]
    public string WithJwtNetBase64Url() => _withJwtNetBase64Url.Encode(null, Claims(), Credentials.SecretBytes);

    /// <summary>For its cost only: Newtonsoft ignores [JsonPropertyName], so these tokens carry the wrong claim names (ApiKey, Iat).</summary>
    [Benchmark(Description = "the minter's encoder with Jwt.Net's JsonNetSerializer (wrong claim names)")]
    public string WithJwtNetSerializer() => _withJwtNetSerializer.Encode(null, Claims(), Credentials.SecretBytes);

    [Benchmark(Description = "Guid.NewGuid() alone (the jti)")]
    public Guid NewGuid() => Guid.NewGuid();

    [Benchmark(Description = "Jwt.Net naive: new JwtBuilder per token")]
    public string NaiveJwtBuilder()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new JwtBuilder()
            .WithAlgorithm(new HMACSHA256Algorithm())
            .WithSecret(Credentials.SecretBytes)
            .AddClaim("apikey", Credentials.ApiKey)
            .AddClaim("permissions", Permissions)
            .AddClaim("version", VideoSdkClaims.ClaimsVersion)
            .AddClaim("roles", ClientRoles)
            .AddClaim("roomId", RoomId)
            .AddClaim("participantId", ParticipantId)
            .AddClaim("iat", now)
            .AddClaim("nbf", now)
            .AddClaim("exp", now + (long)Lifetime.TotalSeconds)
            .AddClaim("jti", Guid.NewGuid().ToString())
            .Encode();
    }

    /// <summary>The claims the minter signs, built the same way.</summary>
    private static VideoSdkClaims Claims()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new VideoSdkClaims
        {
            ApiKey = Credentials.ApiKey,
            Permissions = Permissions,
            Roles = ClientRoles,
            RoomId = RoomId,
            ParticipantId = ParticipantId,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (long)Lifetime.TotalSeconds,
            TokenId = Guid.NewGuid().ToString("D"),
        };
    }
}
