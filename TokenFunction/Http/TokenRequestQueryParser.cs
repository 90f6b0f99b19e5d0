using System.Collections.Specialized;
using System.Globalization;
using TokenFunction.Problems;
using TokenFunction.Tokens;

namespace TokenFunction.Http;

/// <summary>
/// Reads a token request from a query string (<c>GET /api/token?permissions=allow_join,ask_join&amp;ttlSeconds=600</c>)
/// under the same rules as a JSON body: unknown and repeated parameters are refused by name.
/// </summary>
internal static class TokenRequestQueryParser
{
    /// <summary>
    /// For POST: the body is the only source of fields, so any query parameter is refused rather than
    /// silently ignored or merged.
    /// </summary>
    public static IReadOnlyList<FieldError> FieldsIn(NameValueCollection query) =>
        query.AllKeys
            .Select(key => key ?? query[key] ?? string.Empty)
            .Select(name => new FieldError(name, ErrorCodes.UnknownField.Code,
                $"Query parameter {Describe.Value(name)} is not accepted with POST; send token fields in the JSON body."))
            .ToArray();

    public static Outcome<TokenRequest> Parse(NameValueCollection query)
    {
        var errors = new List<FieldError>();
        var request = TokenRequest.Empty;

        foreach (var key in query.AllKeys)
        {
            // "?foo" (no '=') arrives as a null key whose value is the name.
            var name = key ?? query[key] ?? string.Empty;
            var values = query.GetValues(key) ?? [];

            if (key is null || !TokenRequestFields.All.Contains(key))
            {
                errors.Add(new FieldError(name, ErrorCodes.UnknownField.Code,
                    $"Unknown query parameter {Describe.Value(name)}; expected {string.Join(", ", TokenRequestFields.All)}."));
                continue;
            }

            if (values.Length != 1)
            {
                errors.Add(new FieldError(key, ErrorCodes.DuplicateField.Code, $"Query parameter '{key}' appears more than once."));
                continue;
            }

            request = Apply(request, key, values[0], errors);
        }

        return errors.Count > 0 ? ApiProblem.ForFields(errors) : request;
    }

    private static TokenRequest Apply(TokenRequest request, string key, string value, List<FieldError> errors)
    {
        switch (key)
        {
            case TokenRequestFields.Permissions:
                return request with
                {
                    Permissions = value.Length == 0 ? [] : value.Split(',').Select(p => (string?)p.Trim()).ToArray(),
                };
            case TokenRequestFields.RoomId:
                return request with { RoomId = value };
            case TokenRequestFields.ParticipantId:
                return request with { ParticipantId = value };
            default:
                return request with { TtlSeconds = ParseTtl(value, errors) };
        }
    }

    private static int? ParseTtl(string value, List<FieldError> errors)
    {
        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds;
        }

        var integral = value.TrimStart('-') is { Length: > 0 } digits && digits.All(char.IsAsciiDigit);
        errors.Add(integral
            ? new FieldError(TokenRequestFields.TtlSeconds, ErrorCodes.TtlOutOfRange.Code, "ttlSeconds is far outside the allowed lifetime.")
            : new FieldError(TokenRequestFields.TtlSeconds, ErrorCodes.InvalidFieldType.Code, "Query parameter 'ttlSeconds' must be an integer number of seconds."));
        return null;
    }
}
