using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using TokenFunction.Tests.TestInfrastructure;
using TokenFunction.VideoSdk;

namespace TokenFunction.Tests.VideoSdk;

public partial class Base64UrlCodecTests
{
    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex Base64UrlAlphabet();

    /// <summary>Bytes 0..255 in every length remainder: the two characters standard Base64 would write as '+' and '/', and every padding case.</summary>
    public static TheoryData<int> Lengths => new(1, 2, 3, 254, 255, 256);

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Encodes_with_the_url_alphabet_and_no_padding_and_decodes_back(int length)
    {
        var bytes = Enumerable.Range(0, length).Select(i => (byte)(255 - (i % 256))).ToArray();
        var codec = new Base64UrlCodec();

        var encoded = codec.Encode(bytes);

        Assert.Matches(Base64UrlAlphabet(), encoded);
        Assert.Equal(Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_'), encoded);
        Assert.Equal(bytes, codec.Decode(encoded));
    }

    [Fact]
    public void Every_segment_of_issued_tokens_is_unpadded_base64url()
    {
        var minter = new VideoSdkTokenMinter(new FakeTimeProvider());
        var credentials = new SigningCredentials(TestApp.ApiKey, TestApp.ApiSecret, "v1");

        // Random jti and signatures: over 50 tokens the signature segment alone covers the alphabet's last two characters.
        var segments = Enumerable.Range(0, 50)
            .Select(i => minter.MintClientToken(["allow_join"], null, $"user-{i}", TimeSpan.FromMinutes(10), credentials).Token)
            .SelectMany(token => token.Split('.'))
            .ToList();

        Assert.All(segments, segment => Assert.Matches(Base64UrlAlphabet(), segment));
        Assert.Contains(segments, segment => segment.Contains('-'));
        Assert.Contains(segments, segment => segment.Contains('_'));
    }
}
