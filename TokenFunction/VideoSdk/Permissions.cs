namespace TokenFunction.VideoSdk;

/// <summary>The permission names VideoSDK understands in a token's <c>permissions</c> claim.</summary>
internal static class Permissions
{
    /// <summary>Enter a meeting directly.</summary>
    public const string AllowJoin = "allow_join";

    /// <summary>Wait in the lobby until a participant holding allow_join admits you.</summary>
    public const string AskJoin = "ask_join";

    /// <summary>Moderate others: their mic and webcam, removing them, recordings.</summary>
    public const string AllowMod = "allow_mod";

    public static IReadOnlySet<string> Known { get; } =
        new HashSet<string>(StringComparer.Ordinal) { AllowJoin, AskJoin, AllowMod };

    /// <summary>VideoSDK refuses <c>ask_join</c> beside either of these at join time (client error 4008).</summary>
    public static IReadOnlySet<string> ConflictingWithAskJoin { get; } =
        new HashSet<string>(StringComparer.Ordinal) { AllowJoin, AllowMod };
}
