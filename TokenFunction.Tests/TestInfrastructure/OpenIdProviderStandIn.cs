using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TokenFunction.Tests.TestInfrastructure;

/// <summary>
/// A loopback OpenID Connect provider: an https discovery document and key set (RSA and EC keys generated
/// here), issuing caller tokens. It can rotate its keys, go down and come back, and counts its fetches.
/// </summary>
public sealed class OpenIdProviderStandIn : IAsyncDisposable
{
    public const string Audience = "api://videosdk-token-tests";
    private const string TenantPath = "tenant-under-test";

    private readonly TestCertificate _tlsCertificate;
    private readonly LoopbackServer _server;
    private readonly object _gate = new();
    private List<SecurityKey> _published;
    private int _discoveryFetches;
    private int _keySetFetches;

    private OpenIdProviderStandIn(TestCertificate tlsCertificate, LoopbackServer server, SecurityKey rsa, SecurityKey ec)
    {
        _tlsCertificate = tlsCertificate;
        _server = server;
        RsaKey = rsa;
        EcKey = ec;
        _published = [rsa, ec];
    }

    /// <summary>The issuer URL, as CallerAuth:Authority is set to it.</summary>
    public string Authority => new Uri(_server.BaseAddress, TenantPath).ToString();

    public SecurityKey RsaKey { get; private set; }

    public SecurityKey EcKey { get; }

    /// <summary>While false, every request answers 503, as a provider in an outage.</summary>
    public bool Available { get; set; } = true;

    public int DiscoveryFetches => Volatile.Read(ref _discoveryFetches);

    public int KeySetFetches => Volatile.Read(ref _keySetFetches);

    public static async Task<OpenIdProviderStandIn> StartAsync()
    {
        var certificate = TestCertificate.CreateForLoopback();
        OpenIdProviderStandIn? provider = null;
        var server = await LoopbackServer.StartAsync(certificate.Certificate, context => provider!.HandleAsync(context));
        provider = new OpenIdProviderStandIn(certificate, server, NewRsaKey(), NewEcKey());
        return provider;
    }

    /// <summary>Trusts this provider's TLS certificate and nothing else: give it to the app's named HttpClient.</summary>
    public HttpMessageHandler CreateTrustingHandler() => _tlsCertificate.CreateTrustingHandler();

    /// <summary>Key rollover: a new RSA key replaces the old one in the key set; returns the new key.</summary>
    public SecurityKey RotateRsaKey()
    {
        var next = NewRsaKey();
        lock (_gate)
        {
            _published = [.. _published.Where(k => k != RsaKey), next];
            RsaKey = next;
        }

        return next;
    }

    /// <summary>A token as the provider would issue it; <paramref name="customize"/> can break any part of it.</summary>
    public string IssueToken(string subject = "user-1", string[]? roles = null, SecurityKey? key = null, Action<SecurityTokenDescriptor>? customize = null)
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
            SigningCredentials = new SigningCredentials(signingKey,
                signingKey is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256),
        };
        if (roles is not null)
        {
            descriptor.Claims["roles"] = roles;
        }

        customize?.Invoke(descriptor);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise valid claims, naming a published key as an attacker would.</summary>
    public string IssueUnsignedToken(string subject = "user-1")
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new { alg = "none", typ = "JWT", kid = RsaKey.KeyId };
        var payload = new Dictionary<string, object> { ["iss"] = Authority, ["aud"] = Audience, ["sub"] = subject, ["iat"] = now, ["nbf"] = now, ["exp"] = now + 600 };
        return $"{Encode(header)}.{Encode(payload)}.";

        static string Encode(object value) => Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(value));
    }

    /// <summary>Algorithm confusion: HS256 keyed with the RSA key's public key set, under the RSA key's kid.</summary>
    public string IssueTokenSignedWithPublicKeyAsHmacSecret()
    {
        var publicJwk = KeySetJson();
        var hmacKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(publicJwk)) { KeyId = RsaKey.KeyId };
        return IssueToken(key: hmacKey, customize: d => d.SigningCredentials = new SigningCredentials(hmacKey, SecurityAlgorithms.HmacSha256));
    }

    public static SecurityKey NewRsaKey() => new RsaSecurityKey(RSA.Create(2048)) { KeyId = "rsa-" + Guid.NewGuid().ToString("N")[..8] };

    public static SecurityKey NewEcKey() => new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "ec-" + Guid.NewGuid().ToString("N")[..8] };

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
                ["jwks_uri"] = Authority + "/discovery/keys",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256", "ES256" },
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

    /// <summary>Public parts only, as a real provider publishes them.</summary>
    private string KeySetJson()
    {
        SecurityKey[] keys;
        lock (_gate)
        {
            keys = [.. _published];
        }

        return JsonSerializer.Serialize(new { keys = keys.Select(PublicJwk).ToArray() });
    }

    private static Dictionary<string, string> PublicJwk(SecurityKey key) => key switch
    {
        RsaSecurityKey rsa when rsa.Rsa.ExportParameters(false) is var p => new()
        {
            ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent),
        },
        ECDsaSecurityKey ec when ec.ECDsa.ExportParameters(false) is var p => new()
        {
            ["kty"] = "EC", ["use"] = "sig", ["alg"] = "ES256", ["kid"] = key.KeyId, ["crv"] = "P-256",
            ["x"] = Base64UrlEncoder.Encode(p.Q.X), ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
        },
        _ => throw new NotSupportedException(key.GetType().Name),
    };

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _tlsCertificate.Dispose();
    }
}
