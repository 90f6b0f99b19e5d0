using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TokenFunction.Platform;

namespace TokenFunction.Secrets;

internal static class SecretsServiceCollectionExtensions
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
            // The Azure SDK's registration, which also forwards the SDK's own logs into the app's logging.
            services.AddAzureClients(clients =>
            {
                clients.AddClient<SecretClient, SecretClientOptions>((client, credential, sp) => new SecretClient(Vault(sp).VaultUri, credential, client))
                    .ConfigureOptions((client, sp) => KeyVaultClientFactory.ConfigureRetries(client, Vault(sp)));
                clients.UseCredential(sp => KeyVaultClientFactory.CreateCredential(Vault(sp), sp.GetRequiredService<HostingPlatform>()));
            });
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

    private static KeyVaultOptions Vault(IServiceProvider services) => services.GetRequiredService<IOptions<KeyVaultOptions>>().Value;
}
