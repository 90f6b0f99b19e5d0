using System.Text.RegularExpressions;

namespace TokenFunction.Http;

/// <summary>
/// The one Content-Type a request body may have: <c>application/json</c>, optionally with <c>charset=utf-8</c>,
/// read by RFC 9110's grammar (§8.3.1, §5.6). System.Net's MediaTypeHeaderValue is lenient (it takes
/// <c>application /json</c> and spaces around <c>=</c>), so the grammar is written out here.
/// </summary>
internal static partial class JsonMediaType
{
    /// <summary>
    /// media-type = type "/" subtype parameters; parameters = *( OWS ";" OWS [ parameter ] );
    /// parameter = token "=" ( token / quoted-string ). Leading and trailing OWS belong to the field, not the value.
    /// </summary>
    [GeneratedRegex("""
        ^[ \t]*
        (?<type>[!#$%&'*+\-.^_`|~0-9A-Za-z]+)/(?<subtype>[!#$%&'*+\-.^_`|~0-9A-Za-z]+)
        (?:[ \t]*;[ \t]*(?:(?<name>[!#$%&'*+\-.^_`|~0-9A-Za-z]+)=(?:(?<token>[!#$%&'*+\-.^_`|~0-9A-Za-z]+)|"(?<quoted>(?:[\t \x21\x23-\x5B\x5D-\x7E\x80-\xFF]|\\[\t \x21-\x7E\x80-\xFF])*)"))?)*
        [ \t]*$
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Grammar();

    public static bool IsJsonUtf8(string? fieldValue)
    {
        var match = fieldValue is null ? Match.Empty : Grammar().Match(fieldValue);
        if (!match.Success
            || !match.Groups["type"].Value.Equals("application", StringComparison.OrdinalIgnoreCase)
            || !match.Groups["subtype"].Value.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var names = match.Groups["name"].Captures;
        if (names.Count == 0)
        {
            return true;
        }

        var value = match.Groups["token"].Success
            ? match.Groups["token"].Value
            : QuotedPair().Replace(match.Groups["quoted"].Value, "$1");
        return names.Count == 1
               && names[0].Value.Equals("charset", StringComparison.OrdinalIgnoreCase)
               && value.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ): the backslash escapes the next character.</summary>
    [GeneratedRegex(@"\\(.)", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex QuotedPair();
}
