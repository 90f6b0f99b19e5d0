namespace TokenFunction.Http;

/// <summary>Bounds on what a caller may send; a token request is a few hundred bytes.</summary>
internal static class HttpLimits
{
    public const int MaxBodyBytes = 4 * 1024;

    /// <summary>A token request is flat; anything deeper is refused while parsing, before it costs anything.</summary>
    public const int MaxJsonDepth = 4;
}
