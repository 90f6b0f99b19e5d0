using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TokenFunction.Platform;

namespace TokenFunction.Secrets;

public static class SecretsServiceCollectionExtensions
{
    /// <summary>
    /// The signing-credentials source of <paramref name="mode"/>: Key Vault (cached, refreshed in the background),
    /// or configuration (local development).
    /// </summary>
    public static IServiceCollection AddSigningCredentials(this IServiceCollection services, CredentialsMode mode)
    {
        services.AddOptions<KeyVaultOptions>().BindConfiguration(KeyVaultOptions.SectionName).ValidateOnStart();
        services.AddOptions<VideoSdkOptions>().BindConfiguration(VideoSdkOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyVaultOptions>, KeyVaultOptionsValidator>();
        services.AddSingleton<IValidateOptions<VideoSdkOptions>, VideoSdkOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HostingPlatform>();
        services.AddHostedService<CredentialsSourceReporter>();

        services.AddSingleton(mode);
        if (mode.FromVault)
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
