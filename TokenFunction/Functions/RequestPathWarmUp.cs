using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TokenFunction.Callers;
using TokenFunction.Http;
using TokenFunction.Secrets;
using TokenFunction.Tokens;
using TokenFunction.VideoSdk;

namespace TokenFunction.Functions;

/// <summary>
/// Walks the token path once while the worker connects to the host, so the first caller after an idle period
/// does not pay for it: the first JSON parse and serialization, the first HMAC (which loads OpenSSL's provider),
/// the code ReadyToRun leaves to the JIT, and in bearer mode the identity provider's metadata and keys.
/// </summary>
/// <remarks>
/// The warm-up token is signed with a random key that is thrown away, so it is valid nowhere; it is neither
/// logged nor counted (the audit line and the metrics are for tokens callers receive). Nothing here can stop the
/// app: an unexpected failure is one warning and the first request does the same work as it would have anyway.
/// </remarks>
internal sealed partial class RequestPathWarmUp(
    TokenRequestValidator validator,
    TokenPolicy policy,
    VideoSdkTokenMinter minter,
    ICallerAuthenticator callers,
    ILogger<RequestPathWarmUp> logger) : IHostedLifecycleService, IDisposable
{
    // The request a client app sends to join a known room, the path most first requests take; no lifetime, so
    // whatever bounds the settings give it stays valid.
    private static readonly byte[] JoinRequest = """{"permissions":["allow_join"],"roomId":"abcd-efgh-ijkl"}"""u8.ToArray();

    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The warm-up under way or done (what stopping waits for); null before the host starts.</summary>
    public Task? Completion { get; private set; }

    /// <summary>
    /// Before any hosted service starts: the worker's own start (its connection to the host) comes after this in
    /// the host's start sequence, and the warm-up runs beside it on another thread instead of after it.
    /// </summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        Completion = Task.Run(() => WarmUpAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (Completion is { } warmUp)
        {
            await warmUp.WaitAsync(cancellationToken);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();

    private async Task WarmUpAsync(CancellationToken stoppingToken)
    {
        try
        {
            var metadata = callers.PrepareAsync(stoppingToken);
            WalkTokenPath();
            await metadata;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stops before the warm-up is done: nothing to finish.
        }
        catch (Exception exception)
        {
            // The type only: a message could quote an answer from the identity provider.
            LogWarmUpFailed(exception.GetType().Name);
        }
    }

    private void WalkTokenPath()
    {
        var request = TokenRequestJsonParser.Parse(JoinRequest);
        if (!request.Succeeded || validator.Validate(request.Value).Count > 0)
        {
            // The join request every client sends no longer passes: a change to the parser or the validator broke it.
            LogWarmUpFailed("the sample join request was refused");
            return;
        }

        // A policy that refuses anonymous joins (bearer mode) still gets its signing path warmed.
        var decided = policy.Decide(request.Value, CallerIdentity.Anonymous(clientAddress: null));
        var grant = decided.Succeeded ? decided.Value : new TokenGrant([Permissions.AllowJoin], null, null, TimeSpan.FromMinutes(1));

        var throwaway = new SigningCredentials("warm-up", Convert.ToHexString(RandomNumberGenerator.GetBytes(SigningCredentials.MinimumSecretBytes)));
        var token = IssuedToken.Mint(minter, grant, throwaway);
        JsonSerializer.SerializeToUtf8Bytes(TokenResponse.From(token), ResponseJsonContext.Default.TokenResponse);
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "The start-up warm-up of the token path stopped early ({Failure}); the first request does that work instead")]
    private partial void LogWarmUpFailed(string failure);
}
