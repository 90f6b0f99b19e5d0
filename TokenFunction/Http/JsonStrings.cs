using System.Text.Json;

namespace TokenFunction.Http;

/// <summary>
/// The one check every JSON string a request carries goes through, names and values at any depth, before any of
/// them is read: valid JSON may still escape a lone surrogate (<c>"\ud800"</c>), which no .NET string can hold
/// as text and which System.Text.Json refuses to decode (by throwing) wherever it is read later.
/// </summary>
internal static class JsonStrings
{
    /// <param name="json">A document that has already parsed as JSON, of valid UTF-8: only escapes are left to check.</param>
    public static bool AreWellFormed(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (InvalidOperationException)
        {
            // The decoder's only way of saying the unescaped text is not well-formed UTF-16.
            return false;
        }

        return true;
    }
}
