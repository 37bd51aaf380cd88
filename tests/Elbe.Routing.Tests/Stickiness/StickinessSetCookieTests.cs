using Elbe.Routing.Stickiness;

namespace Elbe.Routing.Tests.Stickiness;

public class StickinessSetCookieTests
{
    private static readonly DateTimeOffset Now = new(2025, 11, 24, 10, 30, 15, TimeSpan.Zero);

    [Fact]
    public void Lb_cookie_headers_match_alb()
    {
        Assert.Equal("AWSALB=abc; Expires=Mon, 01 Dec 2025 10:30:15 GMT; Path=/", StickinessSetCookie.Lb("abc", Now));
        Assert.Equal("AWSALBCORS=abc; Expires=Mon, 01 Dec 2025 10:30:15 GMT; Path=/; SameSite=None; Secure", StickinessSetCookie.LbCors("abc", Now));
    }

    [Fact]
    public void Target_group_cookie_headers_match_alb()
    {
        Assert.Equal("AWSALBTG=xyz; Expires=Mon, 01 Dec 2025 10:30:15 GMT; Path=/", StickinessSetCookie.TargetGroup("xyz", Now));
        Assert.Equal("AWSALBTGCORS=xyz; Expires=Mon, 01 Dec 2025 10:30:15 GMT; Path=/; SameSite=None; Secure", StickinessSetCookie.TargetGroupCors("xyz", Now));
    }

    [Fact]
    public void App_cookie_headers_add_same_site_only_when_asked()
    {
        Assert.Equal("AWSALBAPP-0=v; Expires=Mon, 01 Dec 2025 10:30:15 GMT; Path=/", StickinessSetCookie.App(0, "v", Now, sameSiteNone: false));
        Assert.Equal("AWSALBAPP-1=v; Expires=Mon, 01 Dec 2025 10:30:15 GMT; Path=/; SameSite=None; Secure", StickinessSetCookie.App(1, "v", Now, sameSiteNone: true));
    }

    [Fact]
    public void Expiry_moves_with_the_clock()
    {
        Assert.Equal("AWSALB=a; Expires=Mon, 01 Dec 2025 10:30:16 GMT; Path=/", StickinessSetCookie.Lb("a", Now.AddSeconds(1)));
        Assert.Equal("AWSALB=a; Expires=Mon, 01 Dec 2025 10:30:15 GMT; Path=/", StickinessSetCookie.Lb("a", Now.AddMilliseconds(999)));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", true)]
    [InlineData("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.88 Safari/537.36", false)]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) Chromium/80.0 Safari/537.36", true)]
    [InlineData("Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15", false)]
    [InlineData("curl/8.5.0", false)]
    [InlineData("", false)]
    public void Chromium_80_and_later_need_same_site_none(string userAgent, bool expected) =>
        Assert.Equal(expected, ChromiumUserAgent.NeedsSameSiteNone(userAgent));
}
