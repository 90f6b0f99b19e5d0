using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TokenFunction.Callers;
using TokenFunction.Problems;
using TokenFunction.Secrets;
using TokenFunction.Telemetry;
using TokenFunction.VideoSdk;

namespace TokenFunction.Tokens;

/// <summary>From a parsed request to a signed token: validation, policy, credentials, signing, and the audit line.</summary>
public sealed partial class TokenIssuer(
    TokenRequestValidator validator,
    TokenPolicy policy,
    ISigningCredentialsProvider credentialsProvider,
    VideoSdkTokenMinter minter,
    ServiceMetrics metrics,
    ILogger<TokenIssuer> logger)
{
    public async Task<Outcome<IssuedToken>> IssueAsync(TokenRequest request, CallerIdentity caller, CancellationToken cancellationToken)
    {
        var errors = validator.Validate(request);
        if (errors.Count > 0)
        {
            return ApiProblem.ForFields(errors);
        }

        var decision = policy.Decide(request, caller);
        if (!decision.Succeeded)
        {
            return decision.Problem;
        }

        var lookup = await credentialsProvider.GetAsync(cancellationToken);
        if (lookup.Credentials is null)
        {
            // No line per refused request here: Refusals reports this refusal's start, a summary a minute and its end.
            return lookup.Refusal("Tokens cannot be signed");
        }

        var started = Stopwatch.GetTimestamp();
        var issued = IssuedToken.Mint(minter, decision.Value, lookup.Credentials);
        metrics.Minted(started);
        var grant = issued.Grant;
        metrics.TokenIssued(grant.Permissions, grant.RoomId is not null, grant.GrantedBy, bearerCaller: !caller.IsAnonymous);
        LogIssued(issued.TokenId, grant.Permissions, grant.RoomId, grant.ParticipantId, issued.ExpiresAt, caller, grant.GrantedBy);
        return issued;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "Issued VideoSDK token {TokenId} with permissions {Permissions} for room {RoomId}, participant {ParticipantId}, expiring {ExpiresAt:O}, to {Caller}, granted by {GrantedBy}")]
    private partial void LogIssued(string tokenId, IReadOnlyList<string> permissions, string? roomId, string? participantId, DateTimeOffset expiresAt,
        CallerIdentity caller, IReadOnlyList<string> grantedBy);
}
