using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using TokenFunction.Http;
using TokenFunction.Tokens;

namespace TokenFunction.Callers;

/// <summary>
/// Validates the caller's bearer token against the configured authority (signature against its published
/// keys, issuer, audience, lifetime, algorithm) and reads the caller's participant id and roles from it.
/// </summary>
public sealed partial class BearerCallerAuthenticator : ICallerAuthenticator
{
    /// <summary>How soon a client may retry when the authority's keys cannot be read.</summary>
    private static readonly TimeSpan AuthorityRetryAfter = TimeSpan.FromSeconds(30);

    private readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata;
    private readonly CallerAuthOptions _options;
    private readonly ILogger<BearerCallerAuthenticator> _logger;
    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = BearerTokenReader.MaxTokenLength };
    private readonly Microsoft.IdentityModel.Tokens.TokenValidationParameters _parameters;

    public BearerCallerAuthenticator(
        ConfigurationManager<OpenIdConnectConfiguration> metadata,
        IOptions<CallerAuthOptions> options,
        ILogger<BearerCallerAuthenticator> logger)
    {
        _metadata = metadata;
        _options = options.Value;
        _logger = logger;
        _parameters = CallerTokenValidation.Create(_options, metadata);
    }

    public async ValueTask<Outcome<CallerIdentity>> AuthenticateAsync(HttpHeadersCollection headers, string? clientAddress, CancellationToken cancellationToken)
    {
        var token = BearerTokenReader.Read(headers);
        if (!token.Succeeded)
        {
            LogRefused(clientAddress, token.Problem.Detail);
            return token.Problem;
        }

        // Read first so an unreachable authority is told apart from a bad token: the caller is not at fault.
        try
        {
            await _metadata.GetConfigurationAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidOperationException or HttpRequestException or IOException)
        {
            LogAuthorityUnavailable(_options.MetadataAddress, exception.GetType().Name);
            return new ApiProblem(ErrorCodes.CallerAuthorityUnavailable,
                "The identity provider's signing keys cannot be read right now, so no caller can be verified. Retry later.")
            {
                RetryAfter = AuthorityRetryAfter,
            };
        }

        var result = await _handler.ValidateTokenAsync(token.Value, _parameters);
        if (!result.IsValid)
        {
            var reason = TokenRefusalReasons.Describe(result.Exception, _options);
            LogRefused(clientAddress, reason);
            return BearerChallenge.InvalidToken(reason);
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        if (!jwt.TryGetPayloadValue<string>(_options.ParticipantIdClaim, out var participantId)
            || !Identifiers.ParticipantId.IsValid(participantId))
        {
            var reason = $"its '{_options.ParticipantIdClaim}' claim is missing or not usable as a participant id ({Identifiers.ParticipantId.Description})";
            LogRefused(clientAddress, reason);
            return BearerChallenge.InvalidToken(reason);
        }

        // JsonWebToken lists an array claim as one claim per element, so a string and an array read alike.
        var roles = jwt.Claims.Where(c => c.Type == _options.RolesClaim).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToArray();
        return CallerIdentity.Authenticated(participantId, roles, clientAddress);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Caller at {ClientAddress} refused with 401: {Reason}")]
    private partial void LogRefused(string? clientAddress, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "Caller refused with 503: the identity provider's metadata {MetadataAddress} could not be read ({Failure})")]
    private partial void LogAuthorityUnavailable(string metadataAddress, string failure);
}
