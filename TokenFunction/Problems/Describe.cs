using System.Text;

namespace TokenFunction.Problems;

/// <summary>
/// Renders a caller-supplied value for an error message: short, printable, quoted. Callers cannot make
/// an error echo back a large or unreadable payload.
/// </summary>
internal static class Describe
{
    private const int MaxEchoedLength = 40;

    public static string Value(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var builder = new StringBuilder(Math.Min(value.Length, MaxEchoedLength) + 8).Append('\'');
        foreach (var rune in value.EnumerateRunes())
        {
            if (builder.Length > MaxEchoedLength)
            {
                builder.Append('…');
                break;
            }

            builder.Append(Rune.IsControl(rune) || Rune.IsWhiteSpace(rune) && rune.Value != ' '
                ? $"\\u{rune.Value:X4}"
                : rune.ToString());
        }

        return builder.Append('\'').ToString();
    }
}
