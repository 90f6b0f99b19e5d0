using System.Text;
using System.Text.Json;

namespace TokenFunction.Rooms;

/// <summary>
/// The human-readable reason in a VideoSDK error body (<c>message</c>, else <c>error</c>), made safe to relay:
/// printable, bounded, and dropped entirely if it looks like it carries a token.
/// </summary>
internal static class UpstreamMessage
{
    private const int MaxLength = 200;
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 8 };

    public static string? Extract(ReadOnlySpan<byte> body)
    {
        var text = ReadReason(body);
        return text is null ? null : Sanitize(text);
    }

    private static string? ReadReason(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = DocumentOptions.MaxDepth });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var name in (string[])["message", "error"])
            {
                if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    return value.GetString();
                }
            }

            return null;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? Sanitize(string text)
    {
        // A JWT's header always starts "eyJ" ('{"' in base64url): such a message is not relayed at all.
        if (text.Contains("eyJ", StringComparison.Ordinal))
        {
            return null;
        }

        var builder = new StringBuilder(Math.Min(text.Length, MaxLength) + 1);
        foreach (var rune in text.EnumerateRunes())
        {
            if (builder.Length >= MaxLength)
            {
                builder.Append('…');
                break;
            }

            builder.Append(Rune.IsControl(rune) ? " " : rune.ToString());
        }

        var sanitized = builder.ToString().Trim();
        return sanitized.Length == 0 ? null : sanitized;
    }
}
