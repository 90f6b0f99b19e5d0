using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TokenFunction.VideoSdk;

namespace TokenFunction.Tokens;

internal static class TokenServiceCollectionExtensions
{
    /// <summary>The token policy (section <c>Tokens</c>, validated at start-up), validation, signing and issuing.</summary>
    public static IServiceCollection AddTokenIssuing(this IServiceCollection services)
    {
        services.AddOptions<TokenPolicyOptions>()
            .BindConfiguration(TokenPolicyOptions.SectionName)
            .PostConfigure(TokenPolicyOptions.ApplyDefaults)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenPolicyOptions>, TokenPolicyOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TokenRequestValidator>();
        services.AddSingleton<TokenPolicy>();
        services.AddSingleton<VideoSdkTokenMinter>();
        services.AddSingleton<TokenIssuer>();
        return services;
    }
}
