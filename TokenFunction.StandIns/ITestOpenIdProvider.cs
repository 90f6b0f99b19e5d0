namespace TokenFunction.StandIns;

/// <summary>An OpenID provider a test app can be pointed at: the real one (oidc-provider) or the stand-in.</summary>
public interface ITestOpenIdProvider
{
    /// <summary>The issuer URL, as CallerAuth:Authority is set to it.</summary>
    string Authority { get; }

    /// <summary>The audiences the app accepts (CallerAuth:Audiences).</summary>
    IReadOnlyList<string> Audiences { get; }

    /// <summary>Trusts the provider's TLS certificate and nothing else: give it to the app's named HttpClient.</summary>
    HttpMessageHandler CreateTrustingHandler();
}
