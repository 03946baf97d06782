using LeadScore.Engine.Values;

namespace LeadScore.Engine.Tests.Values;

public sealed class StorableTextTests
{
    [Theory]
    [InlineData("")]
    [InlineData("plain text")]
    [InlineData("été 😀 中文")]
    public void Problem_ValidUnicodeWithoutNul_IsNone(string text)
    {
        StorableText.Problem(text).ShouldBeNull();
    }

    [Theory]
    [InlineData(@"a\u0000b", "NUL", "position 2")]
    [InlineData(@"\ud800", @"lone surrogate (\ud800)", "position 1")]
    [InlineData(@"ab\udc00", @"lone surrogate (\udc00)", "position 3")]
    [InlineData(@"😀\ud83d", @"lone surrogate (\ud83d)", "position 3")]
    [InlineData(@"\ud800\u0000", "lone surrogate", "position 1")]
    public void Problem_NulOrLoneSurrogate_NamesItAndWhereItIs(string escaped, string what, string where)
    {
        // Test data travels as UTF-8, which cannot carry a lone surrogate: it is written escaped and unescaped here.
        var text = System.Text.RegularExpressions.Regex.Unescape(escaped);

        var problem = StorableText.Problem(text);

        problem.ShouldNotBeNull();
        problem.ShouldContain(what);
        problem.ShouldContain(where);
    }
}
