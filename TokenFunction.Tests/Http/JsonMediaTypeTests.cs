using TokenFunction.Http;

namespace TokenFunction.Tests.Http;

/// <summary>RFC 9110's media-type grammar, as the one Content-Type a body may have is read.</summary>
public sealed class JsonMediaTypeTests
{
    /// <summary>Every spelling RFC 9110 allows for application/json in UTF-8: clients sending these must keep working.</summary>
    [Theory]
    [InlineData("application/json")]
    [InlineData("Application/JSON")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json;charset=utf-8")]
    [InlineData("application/json ; charset=utf-8")]
    [InlineData("application/json\t;\tcharset=UTF-8")]
    [InlineData("application/json; CHARSET=\"utf-8\"")]
    [InlineData("application/json; charset=\"utf\\-8\"")]
    [InlineData("application/json;")]
    [InlineData("application/json; ; charset=utf-8;")]
    [InlineData(" application/json ")]
    public void Accepted(string value) => Assert.True(JsonMediaType.IsJsonUtf8(value));

    public static TheoryData<string> Refused => new(HostileRequestCorpus.RefusedMediaTypes.Append(""));

    [Theory]
    [MemberData(nameof(Refused))]
    public void Refused_by_the_grammar_or_the_one_charset(string value) => Assert.False(JsonMediaType.IsJsonUtf8(value));
}
