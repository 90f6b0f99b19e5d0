using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Azure.Functions.Worker.Http;
using TokenFunction.Problems;
using TokenFunction.Telemetry;

namespace TokenFunction.Http;

/// <summary>Writes the API's JSON answers. Every answer is uncacheable: tokens and refusals are per caller and per moment.</summary>
/// <remarks>Public only because the function classes' constructors take it; built by the composition, not by DI's activator.</remarks>
public sealed class ApiResponses
{
    internal const string ProblemContentType = "application/problem+json";
    internal const string JsonContentType = "application/json; charset=utf-8";

    private readonly Refusals _refusals;

    internal ApiResponses(Refusals refusals) => _refusals = refusals;

    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Functions write every answer through the one writer they are given.")]
    internal Task<HttpResponseData> JsonAsync<T>(HttpRequestData request, HttpStatusCode status, T body, JsonTypeInfo<T> typeInfo) =>
        WriteAsync(request, status, JsonContentType, JsonSerializer.SerializeToUtf8Bytes(body, typeInfo));

    /// <summary>The refusal as problem+json; every refusal passes here, so here it is counted (and logged in summary, see <see cref="Refusals"/>).</summary>
    internal async Task<HttpResponseData> ProblemAsync(HttpRequestData request, ApiProblem problem)
    {
        _refusals.Record(problem);
        var document = new ProblemDocument(
            problem.Error.Type,
            problem.Error.Title,
            (int)problem.Error.Status,
            problem.Detail,
            problem.Error.Code,
            problem.Errors.Count == 0
                ? null
                : problem.Errors.Take(HttpLimits.MaxListedErrors).Select(e => new FieldErrorDocument(Describe.Unquoted(e.Field), e.Code, e.Detail)).ToArray(),
            problem.Errors.Count > HttpLimits.MaxListedErrors ? problem.Errors.Count - HttpLimits.MaxListedErrors : null,
            request.FunctionContext.InvocationId);

        var response = await WriteAsync(request, problem.Error.Status, ProblemContentType,
            JsonSerializer.SerializeToUtf8Bytes(document, ApiJsonContext.Default.ProblemDocument));

        if (problem.RetryAfter is { } retryAfter)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            response.Headers.Add("Retry-After", seconds.ToString(CultureInfo.InvariantCulture));
        }

        if (problem.WwwAuthenticate is { } challenge)
        {
            response.Headers.Add("WWW-Authenticate", challenge);
        }

        if (problem.Allow is { } allow)
        {
            response.Headers.Add("Allow", allow);
        }

        return response;
    }

    private static async Task<HttpResponseData> WriteAsync(HttpRequestData request, HttpStatusCode status, string contentType, byte[] body)
    {
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", contentType);
        response.Headers.Add("Cache-Control", "no-store");
        response.Headers.Add("X-Content-Type-Options", "nosniff");
        await response.Body.WriteAsync(body);
        return response;
    }
}
