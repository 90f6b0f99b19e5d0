using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Http;

namespace TokenFunction.Tests.TestInfrastructure;

/// <summary>A function's answer, read back the way a client would see it.</summary>
public sealed record ReadResponse(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public static ReadResponse From(HttpResponseData response)
    {
        response.Body.Position = 0;
        var body = new StreamReader(response.Body, Encoding.UTF8).ReadToEnd();
        var headers = response.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new ReadResponse(response.StatusCode, headers, body);
    }

    /// <summary>Asserts an RFC 9457 problem with the given status and code, and that no token leaked into it.</summary>
    public JsonElement AssertProblem(HttpStatusCode status, string code)
    {
        Assert.Equal(status, Status);
        Assert.Equal("application/problem+json", Header("Content-Type"));
        var problem = Json;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.EndsWith(":" + code, problem.GetProperty("type").GetString());
        Assert.False(problem.TryGetProperty("token", out _));
        Assert.DoesNotContain("eyJ", Body, StringComparison.Ordinal);
        return problem;
    }
}
