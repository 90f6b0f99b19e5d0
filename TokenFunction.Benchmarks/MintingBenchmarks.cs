using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using JWT.Algorithms;
using JWT.Builder;
using TokenFunction.Secrets;
using TokenFunction.Tokens;
using TokenFunction.Tokens.Jwt;

namespace TokenFunction.Benchmarks;

/// <summary>
/// The cost of minting one token as the token function does it, beside the floor (one HMAC-SHA256 over a
/// signing input of the same size) and Jwt.Net's naive use (a new JwtBuilder per token).
/// </summary>
[MemoryDiagnoser]
public class MintingBenchmarks
{
    private static readonly SigningCredentials Credentials =
        new("5d0a6f2c-1b7e-4d3a-9f10-2c8e4b7a6d51", "c0ffee0ddba11f00dfeedbeefcafe0123456789abcdef0123456789abcdef01", "v1");

    private static readonly TokenGrant Grant =
        new(["allow_join"], "abcd-efgh-ijkl", "user-1234567890", TimeSpan.FromHours(1));

    private static readonly string[] ClientRoles = ["rtc"];

    private readonly VideoSdkTokenMinter _minter = new(TimeProvider.System);
    private byte[] _signingInput = [];

    [GlobalSetup]
    public void Setup()
    {
        var token = _minter.Mint(Grant, Credentials).Token;
        _signingInput = Encoding.ASCII.GetBytes(token[..token.LastIndexOf('.')]);
        Console.WriteLine($"// signing input: {_signingInput.Length} bytes");
    }

    [Benchmark(Baseline = true, Description = "floor: HMACSHA256.HashData over the signing input")]
    public byte[] Floor() => HMACSHA256.HashData(Credentials.SecretBytes, _signingInput);

    [Benchmark(Description = "VideoSdkTokenMinter.Mint (as the function does it)")]
    public string Mint() => _minter.Mint(Grant, Credentials).Token;

    [Benchmark(Description = "Jwt.Net naive: new JwtBuilder per token")]
    public string NaiveJwtBuilder()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new JwtBuilder()
            .WithAlgorithm(new HMACSHA256Algorithm())
            .WithSecret(Credentials.SecretBytes)
            .AddClaim("apikey", Credentials.ApiKey)
            .AddClaim("permissions", Grant.Permissions)
            .AddClaim("version", 2)
            .AddClaim("roles", ClientRoles)
            .AddClaim("roomId", Grant.RoomId)
            .AddClaim("participantId", Grant.ParticipantId)
            .AddClaim("iat", now)
            .AddClaim("nbf", now)
            .AddClaim("exp", now + 3600)
            .AddClaim("jti", Guid.NewGuid().ToString())
            .Encode();
    }
}
