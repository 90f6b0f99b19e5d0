namespace TokenFunction.Http;

/// <summary>Bounds on what a caller may send; a token request is a few hundred bytes.</summary>
internal static class HttpLimits
{
    public const int MaxBodyBytes = 4 * 1024;

    /// <summary>
    /// The longest query string (as sent, percent-encoded) the token endpoint reads; a real one is under 300
    /// characters. Longer ones are refused before they are parsed.
    /// </summary>
    public const int MaxQueryLength = 2 * 1024;

    /// <summary>A token request is flat; anything deeper is refused while parsing, before it costs anything.</summary>
    public const int MaxJsonDepth = 4;

    /// <summary>
    /// Field errors listed in one problem; the rest are counted (<c>errorsOmitted</c>). A request of a few KB with
    /// a thousand unknown parameters must not draw an answer a hundred times its size.
    /// </summary>
    public const int MaxListedErrors = 20;
}
