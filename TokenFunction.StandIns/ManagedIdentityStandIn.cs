using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace TokenFunction.StandIns;

/// <summary>
/// The App Service / Azure Functions managed-identity endpoint (protocol 2019-08-01) on plain HTTP at
/// 127.0.0.1, as the platform serves it: point IDENTITY_ENDPOINT and IDENTITY_HEADER at it
/// (<see cref="EnvironmentVariables"/>). Issues opaque random tokens and remembers each one's resource,
/// so a resource server (<see cref="KeyVaultStandIn"/>) can check it was issued, and for whom.
/// </summary>
public sealed class ManagedIdentityStandIn : IAccessTokenIssuer, IAsyncDisposable
{
    public const string ApiVersion = "2019-08-01";
    public const string SecretHeaderName = "X-IDENTITY-HEADER";
    public const string EndpointVariable = "IDENTITY_ENDPOINT";
    public const string HeaderVariable = "IDENTITY_HEADER";

    /// <summary>The client id this stand-in reports for the system-assigned identity.</summary>
    public static readonly string SystemAssignedClientId = "5a5a5a5a-0000-4000-8000-000000000001";

    private readonly ConcurrentDictionary<string, ManagedIdentityGrant> _issued = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ManagedIdentityGrant> _grants = new();
    private LoopbackServer? _server;
    private int _requestCount;
    private int _failureStatus;

    private ManagedIdentityStandIn(string identityHeader, TimeSpan tokenLifetime)
    {
        IdentityHeader = identityHeader;
        TokenLifetime = tokenLifetime;
    }

    /// <summary>The value the platform puts in IDENTITY_HEADER; requests must echo it in X-IDENTITY-HEADER.</summary>
    public string IdentityHeader { get; }

    public TimeSpan TokenLifetime { get; }

    /// <summary>IDENTITY_ENDPOINT, e.g. <c>http://127.0.0.1:41234/msi/token</c>.</summary>
    public Uri Endpoint => new(Server.BaseAddress, "msi/token");

    /// <summary>The two variables the platform sets, for this process or a child process.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => new Dictionary<string, string>
    {
        [EndpointVariable] = Endpoint.ToString(),
        [HeaderVariable] = IdentityHeader,
    };

    /// <summary>Every request that reached the endpoint, answered or not.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Tokens issued, oldest first.</summary>
    public IReadOnlyList<ManagedIdentityGrant> Grants => [.. _grants];

    /// <summary>While set (non-zero), every well-formed request is answered with this status and an error body.</summary>
    public HttpStatusCode? FailureStatus
    {
        get => Volatile.Read(ref _failureStatus) is var status and not 0 ? (HttpStatusCode)status : null;
        set => Volatile.Write(ref _failureStatus, (int)(value ?? 0));
    }

    private LoopbackServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public static async Task<ManagedIdentityStandIn> StartAsync(TimeSpan? tokenLifetime = null)
    {
        var standIn = new ManagedIdentityStandIn(RandomText(24), tokenLifetime ?? TimeSpan.FromHours(1));
        standIn._server = await LoopbackServer.StartAsync(tlsCertificate: null, standIn.HandleAsync);
        return standIn;
    }

    public bool Issued(string accessToken, string resource) =>
        _issued.TryGetValue(accessToken, out var grant) && grant.Resource == resource;

    /// <summary>Every token handed out, e.g. to check that no log of a child process contains one.</summary>
    public IEnumerable<string> IssuedTokens => _issued.Keys;

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requestCount);
        var request = context.Request;
        var query = request.Query;
        string resource = query["resource"].ToString();

        if (!HttpMethods.IsGet(request.Method) || request.Path != Endpoint.AbsolutePath)
        {
            await WriteErrorAsync(context, HttpStatusCode.NotFound, "No such endpoint.");
        }
        else if (!request.Headers.TryGetValue(SecretHeaderName, out var secretHeader))
        {
            await WriteErrorAsync(context, HttpStatusCode.BadRequest, $"The {SecretHeaderName} header is missing.");
        }
        else if (secretHeader != IdentityHeader)
        {
            await WriteErrorAsync(context, HttpStatusCode.Unauthorized, $"The {SecretHeaderName} header is wrong.");
        }
        else if (query["api-version"] != ApiVersion || string.IsNullOrEmpty(resource))
        {
            await WriteErrorAsync(context, HttpStatusCode.BadRequest, $"api-version={ApiVersion} and resource are required.");
        }
        else if (FailureStatus is { } failure)
        {
            await WriteErrorAsync(context, failure, "The managed identity stand-in was told to fail.");
        }
        else
        {
            await IssueAsync(context, resource, query["client_id"].ToString());
        }
    }

    private async Task IssueAsync(HttpContext context, string resource, string requestedClientId)
    {
        var grant = new ManagedIdentityGrant(
            "mi-" + RandomText(32),
            resource,
            string.IsNullOrEmpty(requestedClientId) ? null : requestedClientId);
        _issued[grant.AccessToken] = grant;
        _grants.Enqueue(grant);

        var expiresOn = DateTimeOffset.UtcNow.Add(TokenLifetime).ToUnixTimeSeconds();
        await context.Response.WriteAsJsonAsync(new Dictionary<string, string>
        {
            ["access_token"] = grant.AccessToken,
            ["expires_on"] = expiresOn.ToString(CultureInfo.InvariantCulture),
            ["resource"] = resource,
            ["token_type"] = "Bearer",
            ["client_id"] = grant.RequestedClientId ?? SystemAssignedClientId,
        });
    }

    private static Task WriteErrorAsync(HttpContext context, HttpStatusCode status, string message)
    {
        context.Response.StatusCode = (int)status;
        // The shape App Service uses for its own errors.
        return context.Response.WriteAsJsonAsync(new { statusCode = (int)status, message, correlationId = Guid.NewGuid() });
    }

    private static string RandomText(int bytes) => Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes)).ToLowerInvariant();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>One token the managed-identity stand-in issued: for which resource, and which user-assigned identity (null: system-assigned).</summary>
public sealed record ManagedIdentityGrant(string AccessToken, string Resource, string? RequestedClientId);

/// <summary>Lets a resource-server stand-in check a bearer token without knowing who issued it.</summary>
public interface IAccessTokenIssuer
{
    bool Issued(string accessToken, string resource);
}
