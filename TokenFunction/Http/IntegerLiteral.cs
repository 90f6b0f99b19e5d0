using System.Globalization;

namespace TokenFunction.Http;

/// <summary>What an integer field's text turned out to be.</summary>
internal enum IntegerLiteralKind
{
    /// <summary>An integer literal whose value fits: <see cref="IntegerLiteral.Value"/> holds it.</summary>
    Integer,

    /// <summary>An integer literal too large (or too small) for the field's type.</summary>
    OutOfRange,

    /// <summary>Anything else: a fraction, an exponent, leading zeros, a sign other than '-', whitespace, other digits.</summary>
    NotInteger,
}

/// <summary>
/// The one reading of integer fields, in JSON bodies and query strings alike: JSON's integer literal
/// (<c>-?(0|[1-9][0-9]*)</c>, ASCII digits only), so <c>60.0</c>, <c>6e1</c>, <c>0060</c>, <c>+60</c> or <c>60\0</c>
/// are not integers, however a lenient parser would round them.
/// </summary>
internal readonly record struct IntegerLiteral(IntegerLiteralKind Kind, int Value)
{
    public static IntegerLiteral Parse(ReadOnlySpan<char> text)
    {
        var digits = text.StartsWith('-') ? text[1..] : text;
        var wellFormed = digits.Length > 0
                         && !digits.ContainsAnyExceptInRange('0', '9')
                         && (digits.Length == 1 || digits[0] != '0');
        if (!wellFormed)
        {
            return new(IntegerLiteralKind.NotInteger, 0);
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? new(IntegerLiteralKind.Integer, value)
            : new(IntegerLiteralKind.OutOfRange, 0);
    }
}
