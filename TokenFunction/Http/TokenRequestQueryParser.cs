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
    public static IReadOnlyList<FieldError> FieldsIn(IReadOnlyList<QueryParameter> query) =>
        query.Select(parameter => parameter.Name).Distinct(StringComparer.Ordinal)
            .Select(name => new FieldError(name, ErrorCodes.UnknownField.Code,
                $"Query parameter {Describe.Value(name)} is not accepted with POST; send token fields in the JSON body."))
            .ToArray();

    public static Outcome<TokenRequest> Parse(IReadOnlyList<QueryParameter> query)
    {
        var errors = new List<FieldError>();
        var request = TokenRequest.Empty;

        foreach (var named in query.GroupBy(parameter => parameter.Name, StringComparer.Ordinal))
        {
            var name = named.Key;
            // A name without "=" carries no value: it names no field.
            if (!TokenRequestFields.All.Contains(name, StringComparer.Ordinal) || named.Any(parameter => parameter.Value is null))
            {
                errors.Add(new FieldError(name, ErrorCodes.UnknownField.Code,
                    $"Unknown query parameter {Describe.Value(name)}; expected {string.Join(", ", TokenRequestFields.All)}."));
                continue;
            }

            if (named.Count() != 1)
            {
                errors.Add(new FieldError(name, ErrorCodes.DuplicateField.Code, $"Query parameter '{name}' appears more than once."));
                continue;
            }

            request = Apply(request, name, named.Single().Value!, errors);
        }

        return errors.Count > 0 ? ApiProblem.ForFields(errors) : request;
    }

    private static TokenRequest Apply(TokenRequest request, string key, string value, List<FieldError> errors)
    {
        switch (key)
        {
            case TokenRequestFields.Permissions:
                // Split at commas and nothing else: " allow_join" is no permission here, as it is none in a JSON body.
                return request with
                {
                    Permissions = value.Length == 0 ? [] : value.Split(',').Select(p => (string?)p).ToArray(),
                };
            case TokenRequestFields.RoomId:
                return request with { RoomId = value };
            case TokenRequestFields.ParticipantId:
                return request with { ParticipantId = value };
            default:
                return request with { TtlSeconds = TtlSecondsField.Read(value, errors) };
        }
    }
}
