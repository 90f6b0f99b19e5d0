using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace TokenFunction.Tests.Secrets;

/// <summary>
/// The stand-ins speak the platform's protocols strictly enough that passing against them means something,
/// seen from a plain HttpClient (no Azure SDK, no process-wide environment, so no shared collection).
/// </summary>
#pragma warning disable CA1001 // xunit disposes it through IAsyncLifetime.DisposeAsync.
public sealed class StandInProtocolTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly TestCertificate _certificate = TestCertificate.CreateForLoopback();
    private readonly LoopbackConnectProxy _proxy = LoopbackConnectProxy.Start();
    private ManagedIdentityStandIn _identity = null!;
    private KeyVaultStandIn _vault = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _identity = await ManagedIdentityStandIn.StartAsync();
        _vault = await KeyVaultStandIn.StartAsync(_certificate, _identity);
        _http = new HttpClient(_certificate.CreateTrustingHandler(_proxy));
    }

    /// <summary>The stand-ins know nothing of the app; the names they store a pair under are the app's defaults.</summary>
    [Fact]
    public void The_vault_stand_ins_store_a_pair_under_the_names_and_tag_the_app_reads()
    {
        var defaults = new TokenFunction.Secrets.KeyVaultOptions();

        Assert.Equal(
            (defaults.ApiKeySecretName, defaults.ApiSecretName, TokenFunction.Secrets.KeyVaultOptions.ApiKeyVersionTag),
            (AzureStandIns.ApiKeySecretName, AzureStandIns.ApiSecretName, AzureStandIns.ApiKeyVersionTag));
    }

    [Fact]
    public async Task The_vault_challenges_an_anonymous_read_with_a_tenant_and_its_own_resource()
    {
        var answer = await _http.GetAsync(new Uri(_vault.VaultUri, "secrets/anything?api-version=7.6"));

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Equal(
            $"Bearer authorization=\"https://login.microsoftonline.com/{_vault.TenantId}\", resource=\"{_vault.Resource}\"",
            answer.Headers.WwwAuthenticate.ToString());
        Assert.Equal(1, _vault.ChallengeCount);
    }

    [Fact]
    public async Task The_vault_serves_the_current_or_a_named_version_only_for_a_token_issued_for_its_resource()
    {
        var first = _vault.SetSecret("s", "one");
        var second = _vault.SetSecret("s", "two");

        Assert.Equal(HttpStatusCode.Unauthorized, (await ReadAsync("secrets/s", await TokenForAsync("https://vault.azure.net"))).StatusCode);
        Assert.Equal(1, _vault.RejectedTokenCount);

        var token = await TokenForAsync(_vault.Resource);
        var current = await (await ReadAsync("secrets/s/", token)).Content.ReadFromJsonAsync<JsonElement>();
        var named = await (await ReadAsync($"secrets/s/{first}", token)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("two", current.GetProperty("value").GetString());
        Assert.Equal(new Uri(_vault.VaultUri, $"secrets/s/{second}").ToString(), current.GetProperty("id").GetString());
        Assert.True(current.GetProperty("attributes").GetProperty("enabled").GetBoolean());
        Assert.Equal("one", named.GetProperty("value").GetString());

        var missing = await ReadAsync("secrets/nope", token);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("SecretNotFound", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(2, _vault.AuthorizedReadCount("s"));
    }

    [Fact]
    public async Task The_identity_endpoint_insists_on_its_header_and_api_version_and_records_the_client_id()
    {
        var url = $"{_identity.Endpoint}?api-version=2019-08-01&resource=https%3A%2F%2Fvault.azure.net&client_id=abc";
        using var plain = new HttpClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await plain.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendWithHeaderAsync(plain, url, "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendWithHeaderAsync(plain, url.Replace("2019-08-01", "2017-09-01"), _identity.IdentityHeader)).StatusCode);

        var granted = await (await SendWithHeaderAsync(plain, url, _identity.IdentityHeader)).Content.ReadFromJsonAsync<JsonElement>();

        var expiresOn = long.Parse(granted.GetProperty("expires_on").GetString()!);
        Assert.InRange(expiresOn - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 3000, 3600);
        Assert.Equal("Bearer", granted.GetProperty("token_type").GetString());
        Assert.Equal("https://vault.azure.net", granted.GetProperty("resource").GetString());
        Assert.Equal("abc", granted.GetProperty("client_id").GetString());
        Assert.Equal(new ManagedIdentityGrant(granted.GetProperty("access_token").GetString()!, "https://vault.azure.net", "abc"), Assert.Single(_identity.Grants));
    }

    [Fact]
    public async Task A_client_trusting_another_test_certificate_cannot_connect_and_the_proxy_reaches_no_other_host()
    {
        using var stranger = TestCertificate.CreateForLoopback();
        using var strangerClient = new HttpClient(stranger.CreateTrustingHandler(_proxy));
        await Assert.ThrowsAsync<HttpRequestException>(() => strangerClient.GetAsync(_vault.VaultUri));

        await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync("https://example.com/"));
        Assert.Equal(1, _proxy.RefusalCount);
    }

    [Fact]
    public void The_pem_file_holds_only_the_public_certificate_a_trust_anchor_for_the_vault_name()
    {
        var path = _certificate.WritePemFile();
        try
        {
            using var published = X509Certificate2.CreateFromPem(File.ReadAllText(path));
            Assert.False(published.HasPrivateKey);
            Assert.True(published.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
            Assert.True(published.MatchesHostname(KeyVaultStandIn.HostName));
            Assert.True(published.MatchesHostname("127.0.0.1"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task<string> TokenForAsync(string resource)
    {
        using var plain = new HttpClient();
        var url = $"{_identity.Endpoint}?api-version=2019-08-01&resource={Uri.EscapeDataString(resource)}";
        var granted = await (await SendWithHeaderAsync(plain, url, _identity.IdentityHeader)).Content.ReadFromJsonAsync<JsonElement>();
        return granted.GetProperty("access_token").GetString()!;
    }

    private Task<HttpResponseMessage> ReadAsync(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_vault.VaultUri, path + "?api-version=7.6"));
        request.Headers.Authorization = new("Bearer", token);
        return _http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> SendWithHeaderAsync(HttpClient client, string url, string identityHeader)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(ManagedIdentityStandIn.SecretHeaderName, identityHeader);
        return client.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _vault.DisposeAsync();
        await _identity.DisposeAsync();
        await _proxy.DisposeAsync();
        _certificate.Dispose();
    }
}
