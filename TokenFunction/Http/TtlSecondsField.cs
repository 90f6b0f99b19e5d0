using TokenFunction.Problems;
using TokenFunction.Tokens;

namespace TokenFunction.Http;

/// <summary>ttlSeconds from a JSON number's text or a query value: one reading, one pair of refusals, for both.</summary>
internal static class TtlSecondsField
{
    public static int? Read(ReadOnlySpan<char> text, List<FieldError> errors)
    {
        var literal = IntegerLiteral.Parse(text);
        switch (literal.Kind)
        {
            case IntegerLiteralKind.Integer:
                return literal.Value;
            case IntegerLiteralKind.OutOfRange:
                errors.Add(new FieldError(TokenRequestFields.TtlSeconds, ErrorCodes.TtlOutOfRange.Code, "ttlSeconds is far outside the allowed lifetime."));
                return null;
            default:
                errors.Add(new FieldError(TokenRequestFields.TtlSeconds, ErrorCodes.InvalidFieldType.Code,
                    "ttlSeconds must be an integer number of seconds in plain digits: no fraction, exponent, '+', leading zeros or spaces."));
                return null;
        }
    }
}
