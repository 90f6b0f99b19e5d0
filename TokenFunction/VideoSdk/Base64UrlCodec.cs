using System.Buffers.Text;
using JWT;

namespace TokenFunction.VideoSdk;

/// <summary>
/// Base64url without padding (RFC 7515 §2) through the runtime's <see cref="Base64Url"/>: Jwt.Net's own encoder
/// builds each segment with a Base64 string, a split and two replaces, three segments per token.
/// </summary>
internal sealed class Base64UrlCodec : IBase64UrlEncoder
{
    public string Encode(byte[] input) => Base64Url.EncodeToString(input);

    public byte[] Decode(string input) => Base64Url.DecodeFromChars(input);
}
