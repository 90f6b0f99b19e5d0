using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TokenFunction.StandIns;

/// <summary>
/// A throw-away TLS certificate for loopback stand-ins: valid for 127.0.0.1, localhost and
/// <see cref="KeyVaultStandIn.HostName"/>, and its own trust anchor, so a client can trust exactly this
/// certificate and nothing else.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    private TestCertificate(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>Holds the private key: give it to Kestrel, never to a client.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Generated in memory in a few milliseconds (ECDSA P-256), valid from a day ago for a week.</summary>
    public static TestCertificate CreateForLoopback()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=TokenFunction loopback stand-in", key, HashAlgorithmName.SHA256);

        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        names.AddDnsName(KeyVaultStandIn.HostName);
        request.CertificateExtensions.Add(names.Build());
        // A CA so that OpenSSL accepts it as a trust anchor in SSL_CERT_FILE (child processes).
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthentication)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        var now = DateTimeOffset.UtcNow;
        return new TestCertificate(request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7)));
    }

    /// <summary>The public certificate as PEM, e.g. for a child process's SSL_CERT_FILE.</summary>
    public string ToPem() => Certificate.ExportCertificatePem();

    /// <summary>Writes the public certificate (no key) to a new temporary file and returns its path; the caller deletes it.</summary>
    public string WritePemFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"loopback-stand-in-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, ToPem());
        return path;
    }

    /// <summary>
    /// Full validation with this certificate as the only trust anchor: the host name must match too, as it
    /// would for a child process trusting it through SSL_CERT_FILE.
    /// </summary>
    public bool Validates(X509Certificate2? presented, SslPolicyErrors errors)
    {
        if (presented is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }

    /// <summary>
    /// An HTTP handler that trusts this certificate and no other (for Azure SDK transports and plain
    /// HttpClients), optionally through <see cref="LoopbackConnectProxy"/> so *.localhost names resolve.
    /// </summary>
    public SocketsHttpHandler CreateTrustingHandler(LoopbackConnectProxy? proxy = null) => new()
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, errors) => Validates(presented as X509Certificate2, errors) },
        Proxy = proxy is null ? null : new WebProxy(proxy.Address),
        UseProxy = proxy is not null,
    };

    public void Dispose() => Certificate.Dispose();
}
