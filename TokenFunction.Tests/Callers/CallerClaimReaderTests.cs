using System.Text.Json;
using TokenFunction.Callers;

namespace TokenFunction.Tests.Callers;

/// <summary>
/// Where a configured claim name leads in a token's payload, and which types are read or refused. Real
/// providers' tokens go through the same reader in ProviderClaimShapeTests.
/// </summary>
public sealed class CallerClaimReaderTests
{
    private const string Payload = """
        {
          "sub": "user-1",
          "roles": ["a", "b"],
          "realm_access": { "roles": ["realm-role"] },
          "resource_access": { "my.app": { "roles": ["client-role"] }, "my": { "app.roles": ["shadowed"] } },
          "https://example.com/roles": ["namespaced"],
          "a.b": { "c": "whole-head" },
          "a": { "b": { "c": "nested" }, "b.c": "inner-whole" },
          "flat": "text",
          "x.y": "not-an-object",
          "x": { "y": { "z": "past-a-head-that-is-no-object" } }
        }
        """;

    [Theory]
    [InlineData("roles", "[\"a\",\"b\"]")]
    [InlineData("realm_access.roles", "[\"realm-role\"]")]
    [InlineData("https://example.com/roles", "[\"namespaced\"]")]
    // The longest member name that matches wins at each level: "my.app" before "my".
    [InlineData("resource_access.my.app.roles", "[\"client-role\"]")]
    // A whole name first, then the longest head: "a.b" (an object) before "a".
    [InlineData("a.b.c", "\"whole-head\"")]
    // A head that is not an object is passed over for a shorter one: "x.y" is a string, so "x".
    [InlineData("x.y.z", "\"past-a-head-that-is-no-object\"")]
    public void A_name_is_matched_whole_first_then_as_a_path_with_the_longest_member_names(string path, string expected)
    {
        using var payload = JsonDocument.Parse(Payload);

        Assert.True(CallerClaimReader.TryFind(payload.RootElement, path, out var value));
        Assert.Equal(expected, value.GetRawText().Replace(" ", ""));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("realm_access.groups")]
    [InlineData("flat.roles")]
    [InlineData(".roles")]
    [InlineData("roles.")]
    public void A_path_that_leads_nowhere_finds_nothing(string path)
    {
        using var payload = JsonDocument.Parse(Payload);

        Assert.False(CallerClaimReader.TryFind(payload.RootElement, path, out _));
    }

    [Fact]
    public void Nothing_is_found_in_a_payload_that_is_not_an_object()
    {
        using var payload = JsonDocument.Parse("""["roles"]""");

        Assert.False(CallerClaimReader.TryFind(payload.RootElement, "roles", out _));
    }

    [Theory]
    [InlineData("""{"roles":["moderator","host","moderator"]}""", new[] { "moderator", "host" })]
    [InlineData("""{"roles":"moderator"}""", new[] { "moderator" })]
    [InlineData("""{"roles":" viewer  moderator "}""", new[] { "viewer", "moderator" })]
    [InlineData("""{"roles":["two words"]}""", new[] { "two words" })]
    [InlineData("""{"roles":[]}""", new string[0])]
    [InlineData("""{"roles":null}""", new string[0])]
    [InlineData("""{}""", new string[0])]
    public void Roles_come_from_an_array_as_they_stand_or_from_a_string_split_at_spaces(string json, string[] expected)
    {
        using var payload = JsonDocument.Parse(json);

        var roles = Reader().ReadRoles(payload.RootElement);

        Assert.True(roles.Succeeded, roles.Refusal);
        Assert.Equal(expected, roles.Value);
    }

    [Theory]
    [InlineData("""{"roles":7}""", "is a number")]
    [InlineData("""{"roles":true}""", "is a boolean")]
    [InlineData("""{"roles":{"moderator":true}}""", "is an object")]
    [InlineData("""{"roles":["moderator",1]}""", "is an array holding more than strings")]
    public void Roles_of_any_other_type_are_refused_naming_the_claim_and_the_type_only(string json, string reason)
    {
        using var payload = JsonDocument.Parse(json);

        var roles = Reader().ReadRoles(payload.RootElement);

        Assert.False(roles.Succeeded);
        Assert.Equal($"its 'roles' claim {reason}, not a string or an array of strings", roles.Refusal);
        Assert.DoesNotContain("moderator", roles.Refusal);
    }

    [Theory]
    [InlineData("""{"sub":"auth0|abc.def@example.com"}""", null)]
    [InlineData("""{}""", "its 'sub' claim is missing")]
    [InlineData("""{"sub":null}""", "its 'sub' claim is missing")]
    [InlineData("""{"sub":12345}""", "its 'sub' claim is a number, not a string")]
    [InlineData("""{"sub":["a"]}""", "its 'sub' claim is an array, not a string")]
    [InlineData("""{"sub":""}""", "its 'sub' claim is not usable as a participant id")]
    [InlineData("""{"sub":"user 1/admin"}""", "its 'sub' claim is not usable as a participant id")]
    public void The_participant_id_is_a_string_usable_as_one_or_the_token_is_refused(string json, string? refusal)
    {
        using var payload = JsonDocument.Parse(json);

        var participant = Reader().ReadParticipantId(payload.RootElement);

        if (refusal is null)
        {
            Assert.Equal("auth0|abc.def@example.com", participant.Value);
        }
        else
        {
            Assert.StartsWith(refusal, participant.Refusal);
            Assert.DoesNotContain("admin", participant.Refusal);
        }
    }

    private static CallerClaimReader Reader() => new(new CallerAuthOptions());
}
