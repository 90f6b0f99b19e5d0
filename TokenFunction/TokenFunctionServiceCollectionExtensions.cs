using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenFunction.Callers;
using TokenFunction.Http;
using TokenFunction.Platform;
using TokenFunction.Rooms;
using TokenFunction.Secrets;
using TokenFunction.Telemetry;
using TokenFunction.Tokens;

namespace TokenFunction;

/// <summary>The one composition of the app's services, used by <see cref="Program"/> and by every test that builds the app.</summary>
internal static class TokenFunctionServiceCollectionExtensions
{
    /// <summary>
    /// Every feature, validated at start-up. The two modes are decided here, once, from <paramref name="configuration"/>:
    /// Key Vault or configured credentials, signed-in or anonymous callers; the features receive them.
    /// </summary>
    public static IServiceCollection AddTokenFunction(this IServiceCollection services, IConfiguration configuration)
    {
        // Application Insights ingestion and Azure Managed Redis authenticate as the app: the identity that also reads the vault.
        TokenCredential AppIdentity() => KeyVaultClientFactory.CreateCredential(
            configuration.GetSection(KeyVaultOptions.SectionName).Get<KeyVaultOptions>() ?? new KeyVaultOptions(), new HostingPlatform(configuration));

        services
            .AddSigningCredentials(CredentialsMode.From(configuration))
            .AddTokenIssuing()
            .AddCallers(CallerAuthMode.From(configuration))
            // The process's one Redis multiplexer, when RateLimit:Redis names a cache.
            .AddSharedRateLimit(configuration, AppIdentity)
            .AddRooms()
            .AddServiceTelemetry(configuration, AppIdentity);
        services.AddSingleton(sp => RoleRules(sp.GetRequiredService<IOptions<CallerAuthOptions>>().Value));
        services.AddSingleton(sp => new ApiResponses(sp.GetRequiredService<Refusals>()));
        services.AddHostedService<Functions.RequestPathWarmUp>();
        services.AddSingleton(sp => new Functions.HealthProbe(
            sp.GetRequiredService<ISigningCredentialsProvider>(), sp.GetRequiredService<ICallerAuthenticator>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>The caller roles' grants as token policy reads them, each named by the setting that defines it (the name is logged).</summary>
    private static RolePermissionRules RoleRules(CallerAuthOptions callerAuth) =>
        new(callerAuth.Roles.ToDictionary(
            role => role.Key,
            role => new PermissionRule($"{CallerAuthOptions.SectionName}:{nameof(CallerAuthOptions.Roles)}:{role.Key}",
                role.Value.Permissions.ToHashSet(StringComparer.Ordinal), role.Value.RequireRoom),
            StringComparer.Ordinal));
}
