using System.Security.Cryptography.X509Certificates;

namespace TokenFunction.StandIns.FunctionsHost;

/// <summary>
/// Makes the worker trust a test certificate (the HTTPS Key Vault stand-in's) the way any .NET process on
/// Linux can be told to: SSL_CERT_FILE names the PEM bundle OpenSSL loads. No switch in the app.
/// </summary>
public static class TrustedCertificates
{
    private const string SystemBundle = "/etc/ssl/certs/ca-certificates.crt";

    /// <summary>Writes the system bundle plus <paramref name="certificate"/> to a temp PEM file and points SSL_CERT_FILE at it.</summary>
    public static FunctionsHostOptions TrustCertificate(this FunctionsHostOptions options, X509Certificate2 certificate)
    {
        var path = Path.Combine(Path.GetTempPath(), $"functions-host-trust-{Guid.NewGuid():N}.pem");
        // Keep the machine's CAs too: SSL_CERT_FILE replaces the default bundle rather than adding to it.
        var system = File.Exists(SystemBundle) ? File.ReadAllText(SystemBundle) : string.Empty;
        File.WriteAllText(path, system + Environment.NewLine + certificate.ExportCertificatePem() + Environment.NewLine);
        return options.WithSetting("SSL_CERT_FILE", path);
    }
}
