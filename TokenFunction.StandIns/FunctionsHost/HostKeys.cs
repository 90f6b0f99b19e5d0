using System.Security.Cryptography;
using System.Text;

namespace TokenFunction.StandIns.FunctionsHost;

/// <summary>
/// The host's keys. As in the real host, a function-level route accepts the function key or the
/// master key, an admin route only the master key, presented as the x-functions-key header or the
/// code query parameter.
/// </summary>
public sealed record HostKeys(string FunctionKey, string MasterKey)
{
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    public static HostKeys Generate() => new(NewKey(), NewKey());

    public bool Authorizes(HttpAuthLevel level, string? presentedKey) => level switch
    {
        HttpAuthLevel.Anonymous => true,
        HttpAuthLevel.Function => Matches(presentedKey, FunctionKey) || Matches(presentedKey, MasterKey),
        _ => Matches(presentedKey, MasterKey),
    };

    private static bool Matches(string? presented, string expected) =>
        presented is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', '-').Replace('/', '_');

    // Keys are credentials: keep them out of test output.
    public override string ToString() => "HostKeys { *** }";
}
