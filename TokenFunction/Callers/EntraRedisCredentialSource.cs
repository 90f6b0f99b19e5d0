using Azure.Core;
using Microsoft.IdentityModel.JsonWebTokens;

namespace TokenFunction.Callers;

/// <summary>
/// The app's identity signs in to Azure Managed Redis: a Microsoft Entra access token for Redis is the password and
/// the identity's object id (the token's <c>oid</c>) the user, as the cache's access policy assignment names it.
/// </summary>
internal sealed class EntraRedisCredentialSource(TokenCredential credential) : IRedisCredentialSource
{
    public const string Scope = "https://redis.azure.com/.default";

    private static readonly TokenRequestContext Request = new([Scope]);

    public string Description => $"Microsoft Entra tokens for {Scope}";

    public async Task<RedisCredential> GetAsync(CancellationToken cancellationToken)
    {
        var token = await credential.GetTokenAsync(Request, cancellationToken).ConfigureAwait(false);
        return new RedisCredential(ObjectId(token.Token), token.Token, token.ExpiresOn);
    }

    private static string ObjectId(string accessToken)
    {
        // Read, not validated: the token comes straight from Entra (or the managed identity endpoint), and Redis validates it.
        var token = new JsonWebToken(accessToken);
        return token.TryGetPayloadValue<string>("oid", out var objectId) && !string.IsNullOrEmpty(objectId)
            ? objectId
            : throw new InvalidOperationException($"The Microsoft Entra token for {Scope} carries no oid claim, which Azure Managed Redis takes as the user.");
    }
}
