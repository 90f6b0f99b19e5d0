using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using TokenFunction.Platform;


namespace TokenFunction.Callers;

internal static class CallersServiceCollectionExtensions
{
    /// <summary>Metadata fetches are rare and off the hot path only once; a stuck provider must not hold requests long.</summary>
    private static readonly TimeSpan AuthorityFetchTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Caller authentication (section <c>CallerAuth</c>) in <paramref name="mode"/>: bearer tokens from an OpenID
    /// Connect authority, or anonymous; and the per-caller rate limit (section <c>RateLimit</c>). Both validated at start-up.
    /// </summary>
    public static IServiceCollection AddCallers(this IServiceCollection services, CallerAuthMode mode)
    {
        services.AddOptions<CallerAuthOptions>().BindConfiguration(CallerAuthOptions.SectionName).ValidateOnStart();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CallerAuthOptions>, CallerAuthOptionsValidator>();
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        services.TryAddSingleton<HostingPlatform>();
        services.AddSingleton<ClientAddressReader>();
        services.AddSingleton<CallerRateLimiter>();
        services.AddSingleton<ICallerRateLimiter>(sp => sp.GetRequiredService<CallerRateLimiter>());
        services.AddSingleton<CallerGate>();
        services.AddHostedService<CallerAuthModeReporter>();

        services.AddSingleton(mode);
        if (mode.CallersSignIn)
        {
            services.AddHttpClient(AuthorityDocumentRetriever.HttpClientName, client => client.Timeout = AuthorityFetchTimeout);
            services.AddSingleton<AuthorityDocumentRetriever>();
            services.AddSingleton(sp =>
                new ConfigurationManager<OpenIdConnectConfiguration>(
                    sp.GetRequiredService<IOptions<CallerAuthOptions>>().Value.MetadataAddress,
                    new OpenIdConnectConfigurationRetriever(),
                    sp.GetRequiredService<AuthorityDocumentRetriever>()));
            services.AddSingleton<ICallerAuthenticator, BearerCallerAuthenticator>();
        }
        else
        {
            services.AddSingleton<ICallerAuthenticator, AnonymousCallerAuthenticator>();
        }

        return services;
    }
}
