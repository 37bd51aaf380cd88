using Elbe.Routing.Health;

namespace Elbe.Routing.Tests.Health;

public class HttpCodeMatcherTests
{
    [Theory]
    [InlineData("200", 200, true)]
    [InlineData("200", 201, false)]
    [InlineData("200,202", 202, true)]
    [InlineData("200,202", 201, false)]
    [InlineData("200-299", 200, true)]
    [InlineData("200-299", 299, true)]
    [InlineData("200-299", 300, false)]
    [InlineData("200-299,404", 404, true)]
    [InlineData("200-299,404", 403, false)]
    [InlineData("200-299,404", 250, true)]
    public void Matches_codes_lists_and_ranges(string text, int code, bool expected)
    {
        Assert.True(HttpCodeMatcher.TryParse(text, out var matcher));
        Assert.Equal(expected, matcher.Matches(code));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("200,")]
    [InlineData(",200")]
    [InlineData("200-")]
    [InlineData("-200")]
    [InlineData("299-200")]
    [InlineData("200 - 299")]
    [InlineData("2000")]
    [InlineData("200;404")]
    [InlineData("99")]
    [InlineData("600")]
    public void Rejects_invalid_syntax(string text)
    {
        Assert.False(HttpCodeMatcher.TryParse(text, out var matcher, out var error));
        Assert.Null(matcher);
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Throws<FormatException>(() => HttpCodeMatcher.Parse(text));
    }

    [Fact]
    public void Custom_bounds_serve_grpc_codes()
    {
        Assert.True(HttpCodeMatcher.TryParse("0-12", 0, 99, out var matcher, out _));
        Assert.True(matcher.Matches(12));
        Assert.False(matcher.Matches(13));
        Assert.False(HttpCodeMatcher.TryParse("100", 0, 99, out _, out _));
    }

    [Fact]
    public void Parse_with_grpc_bounds_accepts_lists_and_refuses_http_codes()
    {
        var matcher = HttpCodeMatcher.Parse("0,12", 0, 99);
        Assert.True(matcher.Matches(0));
        Assert.True(matcher.Matches(12));
        Assert.False(matcher.Matches(14));
        Assert.Throws<FormatException>(() => HttpCodeMatcher.Parse("200", 0, 99));
    }
}
