using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace TokenFunction.Callers;

/// <summary>
/// A caller's bucket name in the shared cache: the deployment's prefix and an HMAC of the caller's rate-limit key.
/// Whoever reads the cache (or its exports) learns neither participant ids nor addresses: a plain hash of an IPv4
/// address is undone by hashing all 2^32 of them, an HMAC needs the key for that.
/// </summary>
internal sealed class SharedBucketNames
{
    /// <summary>128 of the HMAC's 256 bits: no two callers of one deployment meet by chance, and the name stays short.</summary>
    private const int HashBytes = 16;

    private readonly byte[] _key;

    public SharedBucketNames(string prefix, string keySecret)
    {
        Prefix = prefix;
        _key = Encoding.UTF8.GetBytes(keySecret);
    }

    public string Prefix { get; }

    /// <summary>The default prefix: the app's site name and its Functions environment.</summary>
    public static string DefaultPrefix(string? siteName, string? environment) =>
        $"{(string.IsNullOrEmpty(siteName) ? "token-function" : siteName)}:{(string.IsNullOrEmpty(environment) ? "Production" : environment)}";

    public string For(CallerIdentity caller)
    {
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(caller.RateLimitKey), hash);
        return $"{Prefix}:{Base64Url.EncodeToString(hash[..HashBytes])}";
    }
}
