using TokenFunction.Functions;
using TokenFunction.Functions.Middleware;
using TokenFunction.Http;
using TokenFunction.Problems;
using TokenFunction.Rooms;
using TokenFunction.Secrets;
using TokenFunction.Tokens;
using TokenFunction.VideoSdk;

namespace TokenFunction.Tests;

/// <summary>Folder dependencies point down only (docs/architecture.md): Functions → Http → Tokens, Rooms → Callers → Secrets → VideoSdk, Telemetry → Problems, Platform.</summary>
public sealed class LayeringTests
{
    private static readonly IReadOnlyList<(Type From, Type To)> AppReferences = [.. Layering.References(typeof(Program).Assembly)];

    [Fact]
    public void No_folder_of_the_app_uses_a_folder_above_it()
    {
        Assert.Empty(Layering.Violations(AppReferences));
    }

    [Fact]
    public void Every_folder_of_the_app_has_a_place_in_the_layers()
    {
        var folders = typeof(Program).Assembly.GetTypes().Select(Layering.FolderOf).OfType<string>().Distinct();

        Assert.All(folders, folder => Assert.Contains(folder, Layering.Ranks.Keys));
    }

    [Fact]
    public void A_reference_from_a_lower_folder_to_a_higher_one_is_reported()
    {
        var violations = Layering.Violations([
            (typeof(ErrorCodes), typeof(IssueTokenFunction)),     // Problems -> Functions
            (typeof(TokenPolicy), typeof(JsonBodyReader)),        // Tokens -> Http
            (typeof(KeyVaultCredentialsCache), typeof(TokenIssuer)), // Secrets -> Tokens
            (typeof(ManagementTokenSource), typeof(TokenIssuer)), // Rooms -> Tokens: siblings
            (typeof(TokenIssuer), typeof(ManagementTokenSource)), // Tokens -> Rooms
        ]);

        Assert.Equal(5, violations.Count);
        Assert.Contains(violations, v => v.Contains("ErrorCodes (Problems) -> TokenFunction.Functions.IssueTokenFunction (Functions)", StringComparison.Ordinal));
    }

    [Fact]
    public void Downward_references_and_references_inside_a_folder_pass()
    {
        Assert.Empty(Layering.Violations([
            (typeof(IssueTokenFunction), typeof(TokenIssuer)),
            (typeof(TokenIssuer), typeof(VideoSdkTokenMinter)), // Tokens -> VideoSdk
            (typeof(CallerAdmissionMiddleware), typeof(IssueTokenFunction)), // Functions/Middleware is part of Functions
            (typeof(JsonBodyReader), typeof(ErrorCodes)),
        ]));
    }

    [Fact]
    public void The_scan_sees_references_made_only_inside_method_bodies()
    {
        // JsonBodyReader names ErrorCodes only in code (ErrorCodes.BodyTooLarge), never in a signature.
        Assert.Contains((typeof(JsonBodyReader), typeof(ErrorCodes)), AppReferences);
        // A function's constructor parameter: the signature side.
        Assert.Contains((typeof(IssueTokenFunction), typeof(TokenIssuer)), AppReferences);
    }
}
