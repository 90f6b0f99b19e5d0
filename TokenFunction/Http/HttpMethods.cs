using Microsoft.Azure.Functions.Worker.Http;

namespace TokenFunction.Http;

internal static class HttpMethods
{
    public const string Get = "GET";
    public const string Post = "POST";

    public static bool Is(HttpRequestData request, string method) =>
        string.Equals(request.Method, method, StringComparison.OrdinalIgnoreCase);
}
