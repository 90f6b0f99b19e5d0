using System.Buffers;
using Microsoft.Azure.Functions.Worker.Http;
using TokenFunction.Problems;

namespace TokenFunction.Http;

/// <summary>Reads a request body that must be small UTF-8 JSON, refusing anything else before parsing it.</summary>
internal static class JsonBodyReader
{
    public static async Task<Outcome<ReadOnlyMemory<byte>>> ReadAsync(HttpRequestData request, CancellationToken cancellationToken)
    {
        if (TryGetSingleHeader(request, "Content-Length", out var declaredLength)
            && long.TryParse(declaredLength, out var length) && length > HttpLimits.MaxBodyBytes)
        {
            return TooLarge();
        }

        var body = await ReadBoundedAsync(request.Body, cancellationToken);
        if (body is null)
        {
            return TooLarge();
        }

        if (body.Value.Length > 0 && !IsJsonContentType(request))
        {
            return new ApiProblem(ErrorCodes.UnsupportedMediaType,
                "Send the request body with 'Content-Type: application/json' (a 'charset=utf-8' parameter is the only one allowed), or send no body.");
        }

        return body.Value;
    }

    private static ApiProblem TooLarge() =>
        new(ErrorCodes.BodyTooLarge, $"The request body must be at most {HttpLimits.MaxBodyBytes} bytes.");

    /// <returns>The body, or null when it is longer than <see cref="HttpLimits.MaxBodyBytes"/>.</returns>
    private static async Task<ReadOnlyMemory<byte>?> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        // One byte more than allowed is enough to know the body is too large; nothing beyond it is read. The
        // bound-sized buffer is borrowed, and the body (a few dozen bytes, as a rule) copied out of it: a new
        // buffer of the bound for every request was the largest allocation on the token path.
        const int readAtMost = HttpLimits.MaxBodyBytes + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(readAtMost);
        try
        {
            var filled = await body.ReadAtLeastAsync(buffer.AsMemory(0, readAtMost), readAtMost, throwOnEndOfStream: false, cancellationToken);

            // Typed null: an untyped one converts to an empty Memory<byte> (through byte[]), which made an
            // oversized body without Content-Length read as an empty body.
            return filled > HttpLimits.MaxBodyBytes ? (ReadOnlyMemory<byte>?)null : buffer.AsSpan(0, filled).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsJsonContentType(HttpRequestData request) =>
        TryGetSingleHeader(request, "Content-Type", out var value) && JsonMediaType.IsJsonUtf8(value);

    /// <summary>
    /// The header as the client sent it: the validated view re-parses known headers leniently and hands back a
    /// normalised value (<c>application /json</c> comes back as <c>application/json</c>).
    /// </summary>
    private static bool TryGetSingleHeader(HttpRequestData request, string name, out string value)
    {
        value = string.Empty;
        if (!request.Headers.NonValidated.TryGetValues(name, out var values) || values.Count != 1)
        {
            return false;
        }

        value = values.ToString();
        return true;
    }
}
