using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.WebUtilities;
using TokenFunction.StandIns.FunctionsHost.Rpc;

namespace TokenFunction.StandIns.FunctionsHost;

/// <summary>
/// Translates between HttpRequestMessage/HttpResponseMessage and the RpcHttp the worker exchanges,
/// shaped as the host sends it to a worker that advertises RawHttpBodyBytes and
/// UseNullableValueDictionaryForHttp: body as bytes, headers/query/route values as nullable maps.
/// </summary>
internal static class RpcHttpMapping
{
    public static async Task<RpcHttp> ToRpcHttpAsync(HttpRequestMessage request, Uri url,
        IReadOnlyDictionary<string, string> routeValues, CancellationToken cancellationToken)
    {
        var http = new RpcHttp { Method = request.Method.Method.ToUpperInvariant(), Url = url.AbsoluteUri };

        // Several values of one header travel joined by commas, as ASP.NET Core presents them to the host.
        http.NullableHeaders["Host"] = Nullable(url.Authority);
        foreach (var (name, values) in request.Headers)
        {
            http.NullableHeaders[name] = Nullable(string.Join(",", values));
        }

        if (request.Content is not null)
        {
            // Reading ContentLength computes it for buffered content, so Content-Length is sent as
            // HttpClient would put it on the wire; streamed content (chunked) stays without one.
            _ = request.Content.Headers.ContentLength;
            foreach (var (name, values) in request.Content.Headers)
            {
                http.NullableHeaders[name] = Nullable(string.Join(",", values));
            }

            var body = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (body.Length > 0)
            {
                http.Body = new TypedData { Bytes = ByteString.CopyFrom(body) };
            }
        }

        foreach (var (name, values) in QueryHelpers.ParseQuery(url.Query))
        {
            http.NullableQuery[name] = Nullable(values.ToString());
        }

        foreach (var (name, value) in routeValues)
        {
            http.NullableParams[name] = Nullable(value);
        }

        return http;
    }

    /// <summary>The worker's answer as an HTTP response; 500 when the invocation failed, as the host does.</summary>
    public static HttpResponseMessage ToResponse(InvocationResponse invocation)
    {
        if (invocation.Result?.Status != StatusResult.Types.Status.Success)
        {
            return new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new ByteArrayContent([]) };
        }

        var http = invocation.ReturnValue?.Http
            ?? invocation.OutputData.Select(binding => binding.Data?.Http).FirstOrDefault(h => h is not null);
        if (http is null)
        {
            return new HttpResponseMessage(HttpStatusCode.NoContent) { Content = new ByteArrayContent([]) };
        }

        var response = new HttpResponseMessage(ParseStatus(http.StatusCode)) { Content = new ByteArrayContent(BodyBytes(http.Body)) };
        foreach (var (name, value) in http.Headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                response.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return response;
    }

    public static HttpResponseMessage EmptyResponse(HttpStatusCode status) =>
        new(status) { Content = new ByteArrayContent([]) };

    private static HttpStatusCode ParseStatus(string statusCode) =>
        string.IsNullOrEmpty(statusCode) ? HttpStatusCode.OK : (HttpStatusCode)int.Parse(statusCode, System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] BodyBytes(TypedData? body) => body?.DataCase switch
    {
        TypedData.DataOneofCase.Bytes => body.Bytes.ToByteArray(),
        TypedData.DataOneofCase.Stream => body.Stream.ToByteArray(),
        TypedData.DataOneofCase.String => System.Text.Encoding.UTF8.GetBytes(body.String),
        TypedData.DataOneofCase.Json => System.Text.Encoding.UTF8.GetBytes(body.Json),
        _ => [],
    };

    private static NullableString Nullable(string value) => new() { Value = value };
}
