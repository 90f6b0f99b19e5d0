using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TokenFunction.Callers;

internal static class SharedRateLimitServiceCollectionExtensions
{
    /// <summary>Set by the platform on every instance of a site; with the environment, it names the deployment's buckets.</summary>
    public const string SiteNameSetting = "WEBSITE_SITE_NAME";

    public const string FunctionsEnvironmentSetting = "AZURE_FUNCTIONS_ENVIRONMENT";

    /// <summary>
    /// With <c>RateLimit:Redis:Host</c> set, one bucket per caller for every instance, in Redis, with the in-memory
    /// limiter of <see cref="CallersServiceCollectionExtensions.AddCallers"/> as its fallback; without it, nothing changes.
    /// Decided once, here, from <paramref name="configuration"/>. With <c>Authentication=EntraId</c> the app's identity
    /// (<paramref name="appIdentity"/>) signs in; an <see cref="IRedisCredentialSource"/> registered before this call
    /// takes its place.
    /// </summary>
    public static IServiceCollection AddSharedRateLimit(this IServiceCollection services, IConfiguration configuration, Func<TokenCredential> appIdentity)
    {
        var shared = configuration.GetSection(SharedRateLimitOptions.SectionName).Get<SharedRateLimitOptions>();
        if (shared is not { IsConfigured: true })
        {
            return services;
        }

        if (shared.Authentication == SharedRateLimitAuthentication.EntraId)
        {
            services.TryAddSingleton<IRedisCredentialSource>(_ => new EntraRedisCredentialSource(appIdentity()));
        }

        var defaultPrefix = SharedBucketNames.DefaultPrefix(configuration[SiteNameSetting], configuration[FunctionsEnvironmentSetting]);
        services.AddSingleton(sp =>
        {
            var options = Validated(sp).Redis;
            return new SharedBucketNames(string.IsNullOrEmpty(options.KeyPrefix) ? defaultPrefix : options.KeyPrefix, options.KeySecret!);
        });
        services.AddSingleton(sp =>
        {
            var source = sp.GetService<IRedisCredentialSource>();
            var credentials = source is null ? null
                : new RenewingRedisCredentials(source, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RenewingRedisCredentials>>());
            return new SharedRateLimitConnection(SharedRateLimitConnection.Configure(Validated(sp).Redis), credentials);
        });
        services.AddHostedService(sp => sp.GetRequiredService<SharedRateLimitConnection>());
        services.AddSingleton<SharedCallerRateLimiter>();
        services.Replace(ServiceDescriptor.Singleton<ICallerRateLimiter>(sp => sp.GetRequiredService<SharedCallerRateLimiter>()));
        return services;
    }

    private static RateLimitOptions Validated(IServiceProvider services) => services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
}
