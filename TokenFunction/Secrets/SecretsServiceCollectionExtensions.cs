using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TokenFunction.Telemetry;
using TokenFunction.Callers;

namespace TokenFunction.Secrets;

public static class SecretsServiceCollectionExtensions
{
    /// <summary>
    /// The signing-credentials source: Key Vault (cached, refreshed in the background) when
    /// <c>KeyVault:VaultUri</c> is set, otherwise configuration (local development).
    /// </summary>
    public static IServiceCollection AddSigningCredentials(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KeyVaultOptions>().BindConfiguration(KeyVaultOptions.SectionName).ValidateOnStart();
        services.AddOptions<VideoSdkOptions>().BindConfiguration(VideoSdkOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyVaultOptions>, KeyVaultOptionsValidator>();
        services.AddSingleton<IValidateOptions<VideoSdkOptions>, VideoSdkOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddServiceInstruments();
        services.TryAddSingleton<HostingPlatform>();
        services.AddHostedService<CredentialsSourceReporter>();

        var vault = configuration.GetSection(KeyVaultOptions.SectionName).Get<KeyVaultOptions>();
        if (vault?.IsConfigured == true)
        {
            services.TryAddSingleton(sp => KeyVaultClientFactory.Create(sp.GetRequiredService<IOptions<KeyVaultOptions>>().Value));
            services.AddSingleton<KeyVaultCredentialsLoader>();
            services.AddSingleton<KeyVaultCredentialsCache>();
            services.AddSingleton<ISigningCredentialsProvider>(sp => sp.GetRequiredService<KeyVaultCredentialsCache>());
            services.AddHostedService<KeyVaultRefreshService>();
        }
        else
        {
            services.AddSingleton<ISigningCredentialsProvider, ConfigurationCredentialsProvider>();
        }

        return services;
    }
}
