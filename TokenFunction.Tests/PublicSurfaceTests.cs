using System.CodeDom.Compiler;
using TokenFunction.Functions;

namespace TokenFunction.Tests;

/// <summary>
/// The assembly's public types are a deliberate list (docs/architecture.md, "Public surface"): the function classes,
/// and what their public constructors force public. A type that turns public without being added here fails.
/// </summary>
public class PublicSurfaceTests
{
    private static readonly string[] AllowList =
    [
        // The function classes: the worker indexes and invokes public methods of public classes.
        "TokenFunction.Functions.HealthFunction",
        "TokenFunction.Functions.IssueTokenFunction",
        "TokenFunction.Functions.RoomsFunction",
        // Their constructors' parameter types, and what those types' public signatures name in turn (CS0051):
        // the worker creates function instances with ActivatorUtilities, which sees public constructors only.
        "TokenFunction.Callers.CallerIdentity",
        "TokenFunction.Functions.HealthProbe",
        "TokenFunction.Functions.Middleware.AdmittedCaller",
        "TokenFunction.Http.ApiResponses",
        "TokenFunction.Problems.ApiProblem",
        "TokenFunction.Problems.ErrorCode",
        "TokenFunction.Problems.FieldError",
        "TokenFunction.Problems.Outcome`1",
        "TokenFunction.Rooms.CreateRoomRequest",
        "TokenFunction.Rooms.IRoomCreationPolicy",
        "TokenFunction.Rooms.ManagementTokenSource",
        "TokenFunction.Rooms.Room",
        "TokenFunction.Rooms.RoomsOptions",
        "TokenFunction.Rooms.VideoSdkRoomsClient",
        "TokenFunction.Secrets.CredentialsHealth",
        "TokenFunction.Secrets.CredentialsLookup",
        "TokenFunction.Secrets.ISigningCredentialsProvider",
        "TokenFunction.Telemetry.ServiceMetrics",
        "TokenFunction.Tokens.IssuedToken",
        "TokenFunction.Tokens.PermissionRule",
        "TokenFunction.Tokens.RolePermissionRules",
        "TokenFunction.Tokens.TokenGrant",
        "TokenFunction.Tokens.TokenIssuer",
        "TokenFunction.Tokens.TokenPolicy",
        "TokenFunction.Tokens.TokenPolicyOptions",
        "TokenFunction.Tokens.TokenRequest",
        "TokenFunction.Tokens.TokenRequestValidator",
        "TokenFunction.VideoSdk.ManagementToken",
        "TokenFunction.VideoSdk.SigningCredentials",
        "TokenFunction.VideoSdk.VideoSdkTokenMinter",
    ];

    [Fact]
    public void Public_types_are_exactly_the_documented_allow_list()
    {
        // The Functions SDK generates public start-up classes (its executor and metadata provider) that the worker
        // finds by reflection; they are the generator's choice, not ours.
        var ownPublic = typeof(IssueTokenFunction).Assembly.GetExportedTypes()
            .Where(t => !t.IsDefined(typeof(GeneratedCodeAttribute), inherit: false))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal);

        Assert.Equal(AllowList.Order(StringComparer.Ordinal), ownPublic);
    }
}
