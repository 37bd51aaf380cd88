using Elbe.Routing.Rules;

namespace Elbe.Routing.Tests.Rules;

public class WildcardPatternTests
{
    [Theory]
    [InlineData("*.example.com", "test.example.com", true)]
    [InlineData("*.example.com", "a.b.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", ".example.com", true)]
    [InlineData("example.com", "example.com", true)]
    [InlineData("example.com", "example.co", false)]
    [InlineData("example.com", "example.comm", false)]
    [InlineData("ex?mple.com", "example.com", true)]
    [InlineData("ex?mple.com", "exmple.com", false)]
    [InlineData("ex?mple.com", "exaample.com", false)]
    [InlineData("*", "", true)]
    [InlineData("*", "anything", true)]
    [InlineData("?", "", false)]
    [InlineData("?", "a", true)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "aXbYcZ", false)]
    [InlineData("a*b*c", "abcbc", true)]
    [InlineData("*ab", "aab", true)]
    [InlineData("*aab", "aaab", true)]
    [InlineData("a*?c", "abc", true)]
    [InlineData("a*?c", "ac", false)]
    [InlineData("a**c", "ac", true)]
    [InlineData("/img/*.png", "/img/a/b.png", true)]
    [InlineData("/img/*.png", "/img/a.jpg", false)]
    public void Matches_whole_value(string pattern, string value, bool expected)
    {
        Assert.Equal(expected, WildcardPattern.Compile(pattern, ignoreCase: false).IsMatch(value));
    }

    [Fact]
    public void Backtracking_stays_polynomial()
    {
        var pattern = WildcardPattern.Compile("*a*a*a*a*a*b", ignoreCase: false);
        var value = new string('a', 10_000);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(pattern.IsMatch(value));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(2));
        Assert.True(pattern.IsMatch(value + "b"));
    }

    [Theory]
    [InlineData("Example.COM", "example.com", true)]
    [InlineData("*.EXAMPLE.com", "Api.Example.Com", true)]
    public void Ignore_case_folds_ascii_letters(string pattern, string value, bool expected)
    {
        Assert.Equal(expected, WildcardPattern.Compile(pattern, ignoreCase: true).IsMatch(value));
        Assert.False(WildcardPattern.Compile(pattern, ignoreCase: false).IsMatch(value));
    }

    [Fact]
    public void Ignore_case_does_not_fold_beyond_ascii()
    {
        Assert.False(WildcardPattern.Compile("\u00e9", ignoreCase: true).IsMatch("\u00c9"));
    }

    [Theory]
    [InlineData(@"a\*b", "a*b", true)]
    [InlineData(@"a\*b", "aXb", false)]
    [InlineData(@"a\?b", "a?b", true)]
    [InlineData(@"a\?b", "aXb", false)]
    [InlineData(@"a\b", @"a\b", true)]
    [InlineData(@"\**", "*anything", true)]
    [InlineData(@"\**", "anything", false)]
    public void Escapes_make_wildcards_literal(string pattern, string value, bool expected)
    {
        Assert.Equal(expected, WildcardPattern.Compile(pattern, ignoreCase: true, allowEscapes: true).IsMatch(value));
    }

    [Fact]
    public void Without_escapes_a_backslash_is_literal_and_the_star_still_a_wildcard()
    {
        var p = WildcardPattern.Compile(@"a\*", ignoreCase: false);
        Assert.True(p.IsMatch(@"a\xyz"));
        Assert.Equal(1, p.WildcardCount);
    }

    [Theory]
    [InlineData("*", "a\u0001b")]
    [InlineData("a?b", "a\u007fb")]
    [InlineData("a?b", "a\tb")]
    public void Control_characters_never_match(string pattern, string value)
    {
        Assert.False(WildcardPattern.Compile(pattern, ignoreCase: false).IsMatch(value));
    }

    [Fact]
    public void Counts_unescaped_wildcards()
    {
        Assert.Equal(3, WildcardPattern.Compile(@"*a?b*\*", ignoreCase: true, allowEscapes: true).WildcardCount);
    }
}
