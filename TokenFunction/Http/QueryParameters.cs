using System.Web;

namespace TokenFunction.Http;

/// <summary>One parameter of a query string, decoded; <see cref="Value"/> is null for a name without <c>=</c>.</summary>
internal sealed record QueryParameter(string Name, string? Value);

/// <summary>
/// A query string split into its parameters as sent, in order: names compared exactly (a JSON body's field names are
/// case-sensitive, so <c>roomId</c> and <c>ROOMID</c> are two parameters here as well), names and values decoded as
/// HTML forms encode them (percent-encoded UTF-8, <c>+</c> for a space), nothing trimmed.
/// </summary>
internal static class QueryParameters
{
    /// <param name="query">The query as <see cref="Uri.Query"/> gives it, with its <c>?</c>, or empty.</param>
    public static IReadOnlyList<QueryParameter> Parse(string query)
    {
        var parameters = new List<QueryParameter>();
        foreach (var part in (query.StartsWith('?') ? query[1..] : query).Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var equals = part.IndexOf('=', StringComparison.Ordinal);
            parameters.Add(equals < 0
                ? new QueryParameter(HttpUtility.UrlDecode(part), null)
                : new QueryParameter(HttpUtility.UrlDecode(part[..equals]), HttpUtility.UrlDecode(part[(equals + 1)..])));
        }

        return parameters;
    }

    /// <summary>The length HttpLimits.MaxQueryLength bounds: the query string itself, without its <c>?</c> (RFC 3986, 3.4).</summary>
    public static int Length(Uri url) => Math.Max(0, url.Query.Length - 1);
}
