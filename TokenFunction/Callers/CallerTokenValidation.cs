using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace TokenFunction.Callers;

/// <summary>The rules a caller's token must pass, in Microsoft.IdentityModel's terms.</summary>
internal static class CallerTokenValidation
{
    /// <summary>
    /// Asymmetric algorithms only. HMAC algorithms would let anyone holding a published public key forge
    /// tokens (algorithm confusion), and <c>none</c> is no signature at all.
    /// </summary>
    public static IReadOnlyList<string> AllowedAlgorithms { get; } =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public static TokenValidationParameters Create(CallerAuthOptions options, ConfigurationManager<OpenIdConnectConfiguration> metadata) => new()
    {
        // Issuer and signing keys come from the discovery document; with the manager set, the handler asks
        // it for a refresh when a token's kid is unknown (key rollover), throttled by the manager.
        ConfigurationManager = metadata,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidAudiences = options.Audiences,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = options.ClockSkew,
        RequireSignedTokens = true,
        ValidAlgorithms = AllowedAlgorithms,
    };
}
