using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunction.Platform;

namespace TokenFunction.Callers;

/// <summary>Says once at start-up who may get tokens, so an open endpoint never goes unnoticed.</summary>
internal sealed partial class CallerAuthModeReporter(
    IOptions<CallerAuthOptions> callerAuth,
    IOptions<RateLimitOptions> rateLimit,
    HostingPlatform platform,
    ILogger<CallerAuthModeReporter> logger,
    SharedBucketNames? sharedBuckets = null) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = callerAuth.Value;
        if (options.HasAuthority)
        {
            LogAuthenticated(options.Authority!, options.Audiences, options.ParticipantIdClaim, options.RolesClaim, options.Roles.Keys);
        }
        else if (platform.RunsInAzure)
        {
            LogAnonymousByChoice();
        }
        else
        {
            LogAnonymousLocally();
        }

        var limit = rateLimit.Value;
        if (sharedBuckets is null)
        {
            LogRateLimit(limit.Burst, limit.TokensPerPeriod, limit.ReplenishmentPeriod);
        }
        else
        {
            LogSharedRateLimit(limit.Burst, limit.TokensPerPeriod, limit.ReplenishmentPeriod, limit.Redis.Host!, limit.Redis.Port,
                limit.Redis.Authentication, sharedBuckets.Prefix, limit.Redis.CheckTimeout);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information,
        Message = "Callers must send a bearer token from {Authority} for audience {Audiences}; participant id from claim {ParticipantIdClaim}, roles from claim {RolesClaim}; role rules: {Roles}")]
    private partial void LogAuthenticated(string authority, string[] audiences, string participantIdClaim, string rolesClaim, IEnumerable<string> roles);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning,
        Message = "Anonymous mode in Azure (CallerAuth:AllowAnonymous=true): anyone who can reach /api/token gets a token. Set CallerAuth:Authority to require signed-in callers")]
    private partial void LogAnonymousByChoice();

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning,
        Message = "Anonymous mode (local development): CallerAuth:Authority is empty, so callers are not authenticated. In Azure the app refuses to start like this unless CallerAuth:AllowAnonymous=true")]
    private partial void LogAnonymousLocally();

    [LoggerMessage(EventId = 3013, Level = LogLevel.Information,
        Message = "Rate limit per caller and per instance: bursts of {Burst}, {TokensPerPeriod} per {ReplenishmentPeriod}")]
    private partial void LogRateLimit(int burst, int tokensPerPeriod, TimeSpan replenishmentPeriod);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information,
        Message = "Rate limit per caller, shared by every instance through Redis {Host}:{Port} (authentication {Authentication}, buckets {KeyPrefix}:*): bursts of {Burst}, {TokensPerPeriod} per {ReplenishmentPeriod}; a check slower than {CheckTimeout} or failing falls back to the instance's own buckets")]
    private partial void LogSharedRateLimit(int burst, int tokensPerPeriod, TimeSpan replenishmentPeriod, string host, int port,
        SharedRateLimitAuthentication authentication, string keyPrefix, TimeSpan checkTimeout);
}
