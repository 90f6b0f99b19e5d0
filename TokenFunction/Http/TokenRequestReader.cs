using Microsoft.Azure.Functions.Worker.Http;
using TokenFunction.Tokens;
using TokenFunction.Problems;

namespace TokenFunction.Http;

/// <summary>Reads a token request from either form the API accepts: a JSON body (POST) or query parameters (GET).</summary>
internal static class TokenRequestReader
{
    public const string AllowedMethods = "GET, POST";

    public static async Task<Outcome<TokenRequest>> ReadAsync(HttpRequestData request, CancellationToken cancellationToken)
    {
        if (QueryParameters.Length(request.Url) > HttpLimits.MaxQueryLength)
        {
            return new ApiProblem(ErrorCodes.QueryTooLong, $"The query string must be at most {HttpLimits.MaxQueryLength} characters.");
        }

        if (HttpMethods.Is(request, HttpMethods.Get))
        {
            return TokenRequestQueryParser.Parse(QueryParameters.Parse(request.Url.Query));
        }

        if (!HttpMethods.Is(request, HttpMethods.Post))
        {
            return ApiProblem.MethodNotAllowed(request.Method, AllowedMethods);
        }

        var unexpectedQuery = TokenRequestQueryParser.FieldsIn(QueryParameters.Parse(request.Url.Query));
        if (unexpectedQuery.Count > 0)
        {
            return ApiProblem.ForFields(unexpectedQuery);
        }

        var body = await JsonBodyReader.ReadAsync(request, cancellationToken);
        return body.Succeeded ? TokenRequestJsonParser.Parse(body.Value) : body.Problem;
    }
}
