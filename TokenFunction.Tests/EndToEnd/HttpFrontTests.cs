using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using TokenFunction.Tests.TestInfrastructure;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>
/// The host stand-in's HTTP/1.1 front: callers outside the test process (deploy smoke checks, generated
/// clients, load tools) reach the real worker over TCP and get the same answers as in-process callers.
/// </summary>
public sealed class HttpFrontTests(LocalModeWorker worker) : IClassFixture<LocalModeWorker>
{
    [Fact]
    public async Task A_plain_HttpClient_over_TCP_gets_a_token_that_verifies()
    {
        using var client = new HttpClient { BaseAddress = worker.BaseAddress };
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var response = await (await client.PostAsJsonAsync("api/token",
            new { roomId = JoinTokenAssertions.RoomId, participantId = JoinTokenAssertions.ParticipantId })).ReadAsync();

        Assert.Equal("127.0.0.1", worker.BaseAddress.Host);
        JoinTokenAssertions.AssertJoinToken(response, worker.ApiKey, worker.ApiSecret, worker.DefaultTtlSeconds, before);
    }

    [Fact]
    public async Task Refusals_keep_their_status_problem_body_and_headers_over_TCP()
    {
        using var client = new HttpClient { BaseAddress = worker.BaseAddress };

        var wrongMethod = await (await client.PutAsync("api/token", null)).ReadAsync();
        var unknownRoute = await client.GetAsync("api/no-such-route");

        wrongMethod.AssertProblem(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Equal("GET, POST", wrongMethod.Header("Allow"));
        Assert.Equal(HttpStatusCode.NotFound, unknownRoute.StatusCode);
    }

    [Fact]
    public async Task A_chunked_oversized_body_is_refused_over_TCP_as_in_process()
    {
        using var client = new HttpClient { BaseAddress = worker.BaseAddress };
        var request = new HttpRequestMessage(HttpMethod.Post, "api/token")
        {
            Content = new StringContent("{\"roomId\":\"" + new string('a', 5000) + "\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.TransferEncodingChunked = true;

        var response = await (await client.SendAsync(request)).ReadAsync();

        response.AssertProblem(HttpStatusCode.RequestEntityTooLarge, "body_too_large");
    }

    [Fact]
    public async Task Another_process_speaking_raw_HTTP_1_1_gets_a_token()
    {
        // bash's /dev/tcp: a separate process and a hand-written request, no HTTP client library in between.
        var port = worker.BaseAddress.Port;
        const string body = "{\"roomId\":\"abcd-efgh-ijkl\"}";
        var script =
            $"exec 3<>/dev/tcp/127.0.0.1/{port} && " +
            $"printf 'POST /api/token HTTP/1.1\\r\\nHost: 127.0.0.1:{port}\\r\\nContent-Type: application/json\\r\\n" +
            $"Content-Length: {body.Length}\\r\\nConnection: close\\r\\n\\r\\n%s' '{body}' >&3 && cat <&3";
        var startInfo = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(script);

        using var bash = Process.Start(startInfo)!;
        var output = await bash.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await bash.WaitForExitAsync();

        Assert.True(bash.ExitCode == 0, await bash.StandardError.ReadToEndAsync());
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", output, StringComparison.Ordinal);
        var json = System.Text.Json.JsonDocument.Parse(output[(output.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]).RootElement;
        var (_, claims) = IndependentTokenVerifier.Verify(json.GetProperty("token").GetString()!, worker.ApiSecret);
        Assert.Equal("abcd-efgh-ijkl", claims.GetProperty("roomId").GetString());
    }
}
