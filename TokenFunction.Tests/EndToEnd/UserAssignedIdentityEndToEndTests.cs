using System.Net;

namespace TokenFunction.Tests.EndToEnd;

/// <summary>The vault holds the key and secret; the app is told to read it as a user-assigned identity.</summary>
public sealed class UserAssignedIdentityVaultWorker : VaultModeWorker
{
    public const string ClientId = "7c2e9a41-5b3d-4f60-8e1a-0d9f4c2b6a73";

    protected override string? ManagedIdentityClientId => ClientId;

    protected override void PrepareVault() => PutNewCredentials();
}

/// <summary>
/// The production registration of the Key Vault client, in the built worker: with
/// <c>KeyVault:ManagedIdentityClientId</c> set, the vault is read with a token issued to that identity, not to
/// the instance's system-assigned one (an app with several identities has granted the vault to one of them).
/// </summary>
public sealed class UserAssignedIdentityEndToEndTests(UserAssignedIdentityVaultWorker worker) : IClassFixture<UserAssignedIdentityVaultWorker>
{
    [Fact]
    public async Task The_vault_is_read_with_a_token_of_the_configured_user_assigned_identity()
    {
        var response = await worker.RequestTokenAsync();

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var vaultGrants = worker.Azure.Identity.Grants.Where(grant => grant.Resource == worker.Vault.Resource).ToList();
        Assert.NotEmpty(vaultGrants);
        Assert.All(vaultGrants, grant => Assert.Equal(UserAssignedIdentityVaultWorker.ClientId, grant.RequestedClientId));
    }
}
