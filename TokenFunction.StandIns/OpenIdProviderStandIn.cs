using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TokenFunction.StandIns;

/// <summary>
/// A home-made loopback OpenID Connect provider (an https discovery document and an RSA key set) for what the
/// real provider (<see cref="RealOpenIdProvider"/>) cannot be made to do on demand: go down and come back,
/// and count the app's fetches.
/// </summary>
public sealed class OpenIdProviderStandIn : ITestOpenIdProvider, IAsyncDisposable
{
    public const string Audience = "api://videosdk-token-tests";
    private const string TenantPath = "tenant-under-test";
    private static readonly string[] SigningAlgorithms = ["RS256"];

    private readonly TestCertificate _tlsCertificate;
    private readonly LoopbackServer _server;
    private int _discoveryFetches;
    private int _keySetFetches;

    private OpenIdProviderStandIn(TestCertificate tlsCertificate, LoopbackServer server, RsaSecurityKey rsa)
    {
        _tlsCertificate = tlsCertificate;
        _server = server;
        RsaKey = rsa;
    }

    /// <summary>The issuer URL, as CallerAuth:Authority is set to it.</summary>
    public string Authority => new Uri(_server.BaseAddress, TenantPath).ToString();

    public IReadOnlyList<string> Audiences { get; } = [Audience];

    public RsaSecurityKey RsaKey { get; }

    /// <summary>While false, every request answers 503, as a provider in an outage.</summary>
    public bool Available { get; set; } = true;

    /// <summary>Where the discovery document says the key set is; null for the provider's own https address.</summary>
    public Uri? KeySetAddress { get; set; }

    public int DiscoveryFetches => Volatile.Read(ref _discoveryFetches);

    public int KeySetFetches => Volatile.Read(ref _keySetFetches);

    public static async Task<OpenIdProviderStandIn> StartAsync()
    {
        var certificate = TestCertificate.CreateForLoopback();
        OpenIdProviderStandIn? provider = null;
        var server = await LoopbackServer.StartAsync(certificate.Certificate, context => provider!.HandleAsync(context));
        provider = new OpenIdProviderStandIn(certificate, server, NewRsaKey());
        return provider;
    }

    /// <summary>The provider's TLS certificate, for a worker process to trust (TrustedCertificates).</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 TlsCertificate => _tlsCertificate.Certificate;

    public HttpMessageHandler CreateTrustingHandler() => _tlsCertificate.CreateTrustingHandler();

    /// <summary>A token as the provider would issue it, or signed with another <paramref name="key"/>; <paramref name="customize"/> can change any part, validly signed.</summary>
    public string IssueToken(string subject = "user-1", SecurityKey? key = null, Action<SecurityTokenDescriptor>? customize = null)
    {
        var signingKey = key ?? RsaKey;
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            Claims = new Dictionary<string, object> { ["sub"] = subject },
            SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.RsaSha256),
        };
        customize?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public static RsaSecurityKey NewRsaKey() => new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rsa-" + Guid.NewGuid().ToString("N")[..8] };

    /// <summary>Counts every fetch, answered or not, so a test can see how often the app knocks during an outage.</summary>
    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        var isDiscovery = path == $"/{TenantPath}/.well-known/openid-configuration";
        var isKeySet = path == $"/{TenantPath}/discovery/keys";
        Interlocked.Add(ref _discoveryFetches, isDiscovery ? 1 : 0);
        Interlocked.Add(ref _keySetFetches, isKeySet ? 1 : 0);
        if (!Available)
        {
            context.Response.StatusCode = (int)HttpStatusCode.ServiceUnavailable;
            return;
        }

        if (isDiscovery)
        {
            await WriteJsonAsync(context, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["issuer"] = Authority,
                ["jwks_uri"] = KeySetAddress?.ToString() ?? Authority + "/discovery/keys",
                ["id_token_signing_alg_values_supported"] = SigningAlgorithms,
            }));
        }
        else if (isKeySet)
        {
            await WriteJsonAsync(context, KeySetJson());
        }
        else
        {
            context.Response.StatusCode = (int)HttpStatusCode.NotFound;
        }
    }

    private static Task WriteJsonAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    /// <summary>The public key only, as a real provider publishes it.</summary>
    public string KeySetJson()
    {
        var p = RsaKey.Rsa.ExportParameters(false);
        return JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = "RS256", kid = RsaKey.KeyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) },
            },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _tlsCertificate.Dispose();
    }
}
