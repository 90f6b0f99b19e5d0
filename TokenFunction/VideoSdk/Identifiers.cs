using System.Buffers;
using TokenFunction.Problems;

namespace TokenFunction.VideoSdk;

/// <summary>A bounded length over a safe character set: no whitespace, no control characters, no quoting tricks.</summary>
internal sealed class IdentifierRule(int maxLength, SearchValues<char> allowed, string description, ErrorCode error)
{
    public string Description { get; } = description;

    public bool IsValid(string value) =>
        value.Length is > 0 && value.Length <= maxLength && !value.AsSpan().ContainsAnyExcept(allowed);

    /// <summary>The refusal of <paramref name="value"/> sent as <paramref name="field"/>, or null when it is absent or valid.</summary>
    public FieldError? Check(string field, string? value) =>
        value is null || IsValid(value)
            ? null
            : new FieldError(field, error.Code, $"{field} {Describe.Value(value)} is invalid: {Description}.");
}

internal static class Identifiers
{
    private const string Alphanumeric = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>VideoSDK room ids look like <c>abcd-efgh-ijkl</c>; custom room ids use the same alphabet.</summary>
    public static IdentifierRule RoomId { get; } = new(
        128, SearchValues.Create(Alphanumeric + "-_"), "1 to 128 characters from A-Z, a-z, 0-9, '-' and '_'",
        ErrorCodes.RoomIdInvalid);

    /// <summary>Wide enough for identity-provider subjects such as <c>auth0|abc</c>, e-mail addresses and GUIDs.</summary>
    public static IdentifierRule ParticipantId { get; } = new(
        128, SearchValues.Create(Alphanumeric + "-_.@:|+=~"), "1 to 128 characters from A-Z, a-z, 0-9 and - _ . @ : | + = ~",
        ErrorCodes.ParticipantIdInvalid);
}
