using System.Security.Cryptography;
using JWT.Algorithms;

namespace TokenFunction.VideoSdk;

/// <summary>
/// HS256 through Jwt.Net's algorithm extension point, using the one-shot <see cref="HMACSHA256.HashData(byte[], byte[])"/>:
/// Jwt.Net's own HMACSHA256Algorithm allocates and disposes an HMAC object for every signature.
/// </summary>
internal sealed class HmacSha256JwtAlgorithm : IJwtAlgorithm
{
    public string Name => "HS256";

    public byte[] Sign(byte[] key, byte[] bytesToSign) => HMACSHA256.HashData(key, bytesToSign);
}
