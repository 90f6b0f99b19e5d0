using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Moq;

namespace TokenFunction.Tests.TestInfrastructure;

/// <summary>An HTTP trigger's request as the worker hands it to a function, without the host.</summary>
public sealed class FakeHttpRequestData : HttpRequestData
{
    private FakeHttpRequestData(FunctionContext context, string method, Uri url, Stream body, HttpHeadersCollection headers)
        : base(context)
    {
        Method = method;
        Url = url;
        Body = body;
        Headers = headers;
    }

    public override Stream Body { get; }
    public override HttpHeadersCollection Headers { get; }
    public override IReadOnlyCollection<IHttpCookie> Cookies { get; } = [];
    public override Uri Url { get; }
    public override IEnumerable<ClaimsIdentity> Identities { get; } = [];
    public override string Method { get; }

    public override HttpResponseData CreateResponse() => new FakeHttpResponseData(FunctionContext);

    /// <summary>A request for one invocation (<see cref="TestApp.InvokeAsync{TFunction}"/>), carrying that invocation's context.</summary>
    public static FakeHttpRequestData Create(
        string method,
        string pathAndQuery = "/api/token",
        byte[]? body = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var context = new InvocationContext();
        var headerCollection = new HttpHeadersCollection();
        foreach (var (name, value) in headers ?? [])
        {
            headerCollection.TryAddWithoutValidation(name, value);
        }

        var request = new FakeHttpRequestData(context, method, new Uri(new Uri("http://localhost:7071"), pathAndQuery),
            new MemoryStream(body ?? []), headerCollection);
        context.Carry(request);
        return request;
    }

    public static FakeHttpRequestData Json(string json, string method = "POST", string contentType = "application/json") =>
        Create(method, body: Encoding.UTF8.GetBytes(json), headers: [new("Content-Type", contentType)]);
}

public sealed class FakeHttpResponseData(FunctionContext context) : HttpResponseData(context)
{
    public override HttpStatusCode StatusCode { get; set; }
    public override HttpHeadersCollection Headers { get; set; } = new();
    public override Stream Body { get; set; } = new MemoryStream();
    public override HttpCookies Cookies { get; } = new Mock<HttpCookies>().Object;
}
