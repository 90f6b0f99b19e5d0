namespace TokenFunction.Tests.TestInfrastructure;

public static class HttpResponseMessageReading
{
    /// <summary>An answer that came through the Functions host stand-in, in the shape the unit tests read.</summary>
    public static async Task<ReadResponse> ReadAsync(this HttpResponseMessage response)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new ReadResponse(response.StatusCode, headers, await response.Content.ReadAsStringAsync());
    }
}
