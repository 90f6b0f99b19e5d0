using System.Net;

namespace TokenFunction.Problems;

/// <summary>A stable, documented error: clients switch on <see cref="Code"/>, never on the human-readable text.</summary>
public sealed record ErrorCode(string Code, HttpStatusCode Status, string Title)
{
    /// <summary>The RFC 9457 problem type: one URI per code, so a client can also key on <c>type</c>.</summary>
    public string Type => $"urn:videosdk-token-function:problem:{Code}";
}
