using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using TokenFunction.Problems;

namespace TokenFunction.Callers;

/// <summary>
/// Validates the caller's bearer token against the configured authority (signature against its published
/// keys, issuer, audience, lifetime, algorithm) and reads the caller's participant id and roles from it.
/// </summary>
internal sealed partial class BearerCallerAuthenticator : ICallerAuthenticator
{
    /// <summary>
    /// After a failed first read of the authority's metadata, how long callers are answered 503 without
    /// another attempt. The manager itself would retry on every request until its first success; this
    /// bounds an outage to one fetch per window, however many callers knock.
    /// </summary>
    public static readonly TimeSpan AuthorityRetryAfter = TimeSpan.FromSeconds(10);

    private readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata;
    private readonly CallerAuthOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BearerCallerAuthenticator> _logger;
    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = BearerTokenReader.MaxTokenLength };
    private readonly Microsoft.IdentityModel.Tokens.TokenValidationParameters _parameters;
    private readonly CallerClaimReader _claims;
    private long _nextMetadataAttemptTicks;
    private bool _authorityUnavailable;

    public BearerCallerAuthenticator(
        ConfigurationManager<OpenIdConnectConfiguration> metadata,
        IOptions<CallerAuthOptions> options,
        TimeProvider time,
        ILogger<BearerCallerAuthenticator> logger)
    {
        _metadata = metadata;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _parameters = CallerTokenValidation.Create(_options, metadata);
        _claims = new CallerClaimReader(_options);
    }

    public async ValueTask<Outcome<CallerIdentity>> AuthenticateAsync(HttpHeadersCollection headers, string? clientAddress, CancellationToken cancellationToken)
    {
        var token = BearerTokenReader.Read(headers);
        if (!token.Succeeded)
        {
            LogRefused(clientAddress, token.Problem.Detail, null);
            return token.Problem;
        }

        // Read first so an unreachable authority is told apart from a bad token: the caller is not at fault.
        // Once read, the manager answers from its cache and refreshes in the background, keeping the last
        // good keys through later outages.
        if (!await MetadataAvailableAsync(cancellationToken))
        {
            return new ApiProblem(ErrorCodes.CallerAuthorityUnavailable,
                "The identity provider's signing keys cannot be read right now, so no caller can be verified. Retry later.")
            {
                RetryAfter = AuthorityRetryAfter,
            };
        }

        using var parts = CallerTokenFormat.Read(token.Value, out var formatRefusal);
        if ((parts is null ? formatRefusal : CallerTokenHeader.Refusal(parts.Header)) is { } refusal)
        {
            LogRefused(clientAddress, refusal, null);
            return BearerChallenge.InvalidToken(refusal);
        }

        var result = await _handler.ValidateTokenAsync(token.Value, _parameters);
        if (!result.IsValid)
        {
            // Microsoft.IdentityModel reads sub itself and calls a token malformed whose sub is a boolean, object or
            // array: the caller learns which claim is wrong, read from the payload parsed above for the reason only.
            var reason = result.Exception is SecurityTokenMalformedException or ArgumentException && _claims.ReadParticipantId(parts!.Payload).Refusal is { } claim
                ? claim
                : TokenRefusalReasons.Describe(result.Exception, _options);
            var failure = result.Exception?.GetType();
            LogRefused(clientAddress, reason, failure);
            return BearerChallenge.InvalidToken(reason);
        }

        var participantId = _claims.ReadParticipantId(parts!.Payload);
        var roles = _claims.ReadRoles(parts.Payload);
        if ((participantId.Refusal ?? roles.Refusal) is { } claimRefusal)
        {
            LogRefused(clientAddress, claimRefusal, null);
            return BearerChallenge.InvalidToken(claimRefusal);
        }

        return CallerIdentity.Authenticated(participantId.Value!, roles.Value!, clientAddress);
    }

    public async ValueTask PrepareAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _metadata.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // Not the first read's failure: the caller whose request started this instance still tries for itself,
            // rather than be refused for the back-off window a failed read opens.
        }
    }

    public bool AuthorityUnavailable => Volatile.Read(ref _authorityUnavailable);

    private async ValueTask<bool> MetadataAvailableAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcTicks;
        if (now < Interlocked.Read(ref _nextMetadataAttemptTicks))
        {
            return false;
        }

        try
        {
            await _metadata.GetConfigurationAsync(cancellationToken);
            Volatile.Write(ref _authorityUnavailable, false);
            return true;
        }
        catch (InvalidOperationException exception)
        {
            // The manager wraps every fetch failure (network, status, bad JSON) in IDX20803.
            Interlocked.Exchange(ref _nextMetadataAttemptTicks, now + AuthorityRetryAfter.Ticks);
            Volatile.Write(ref _authorityUnavailable, true);
            LogAuthorityUnavailable(_options.MetadataAddress, exception.InnerException?.GetType().Name ?? exception.GetType().Name, AuthorityRetryAfter);
            return false;
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Caller at {ClientAddress} refused with 401: {Reason} ({Failure})")]
    private partial void LogRefused(string? clientAddress, string reason, Type? failure);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "Callers refused with 503: the identity provider's metadata {MetadataAddress} could not be read ({Failure}); next attempt in {RetryIn}")]
    private partial void LogAuthorityUnavailable(string metadataAddress, string failure, TimeSpan retryIn);
}
