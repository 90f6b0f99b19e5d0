using System.Security.Cryptography;

namespace TokenFunction.Tests.Secrets;

/// <summary>Unique, recognisable secret values, so a leak into a log is found by plain text search.</summary>
internal static class SecretValues
{
    public static string NewApiSecret() => "test-api-secret-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public static string NewApiKey() => "test-api-key-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
}
