using System.Security.Cryptography;

namespace TokenFunction.Tokens.Jwt;

/// <summary>
/// Random (version 4) UUIDs for the <c>jti</c> claim, cut from a per-thread buffer that the OS's CSPRNG
/// refills in bulk: <see cref="Guid.NewGuid"/> pays one system call per UUID, which costs as much as
/// signing the whole token.
/// </summary>
internal static class RandomUuidGenerator
{
    private const int UuidLength = 16;
    private const int UuidsPerRefill = 256;

    [ThreadStatic] private static byte[]? t_buffer;
    [ThreadStatic] private static int t_offset;

    public static Guid NewUuid()
    {
        var buffer = t_buffer ??= new byte[UuidLength * UuidsPerRefill];
        if (t_offset == 0 || t_offset == buffer.Length)
        {
            RandomNumberGenerator.Fill(buffer);
            t_offset = 0;
        }

        var bytes = buffer.AsSpan(t_offset, UuidLength);
        t_offset += UuidLength;

        // Guid's byte layout stores the time_hi_and_version field little-endian, so the version nibble
        // is the high nibble of byte 7; the RFC 9562 variant bits are the top bits of byte 8.
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        var uuid = new Guid(bytes);
        bytes.Clear();
        return uuid;
    }
}
