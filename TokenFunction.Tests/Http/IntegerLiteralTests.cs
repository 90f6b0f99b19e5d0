using TokenFunction.Http;

namespace TokenFunction.Tests.Http;

public sealed class IntegerLiteralTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("-0", 0)]
    [InlineData("60", 60)]
    [InlineData("-5", -5)]
    [InlineData("2147483647", int.MaxValue)]
    [InlineData("-2147483648", int.MinValue)]
    public void Integer_literals_that_fit(string text, int value) =>
        Assert.Equal(new IntegerLiteral(IntegerLiteralKind.Integer, value), IntegerLiteral.Parse(text));

    [Theory]
    [InlineData("2147483648")]
    [InlineData("-2147483649")]
    [InlineData("99999999999999999999999999")]
    public void Integer_literals_beyond_the_type(string text) =>
        Assert.Equal(IntegerLiteralKind.OutOfRange, IntegerLiteral.Parse(text).Kind);

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("0060")]
    [InlineData("00")]
    [InlineData("-05")]
    [InlineData("+60")]
    [InlineData("60.0")]
    [InlineData("6e1")]
    [InlineData(" 60")]
    [InlineData("60 ")]
    [InlineData("60\0")]
    [InlineData("1,000")]
    [InlineData("\uff16\uff10")]
    [InlineData("\u0666\u0660")]
    [InlineData("--60")]
    public void Anything_else(string text) =>
        Assert.Equal(IntegerLiteralKind.NotInteger, IntegerLiteral.Parse(text).Kind);
}
