using Elbe.DataPlane.Stickiness;
using Microsoft.AspNetCore.Http;

namespace Elbe.EndToEnd.Tests;

/// <summary>
/// The stickiness cookie lookup that skips ASP.NET's cookie collection must answer what Request.Cookies answers,
/// for plain headers (read directly) and odd ones (handed to ASP.NET): checked side by side on the same requests.
/// </summary>
public sealed class CookieHeaderLookupTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("AWSALB=abc-_123")]
    [InlineData("AWSALBCORS=cors; AWSALB=lb")]
    [InlineData("AWSALB=lb; AWSALBCORS=cors")]
    [InlineData("session=1; AWSALB=lb; theme=dark")]
    [InlineData("awsalb=lower")]
    [InlineData("AWSALB=")]
    [InlineData("AWSALBCORS=; AWSALB=lb")]
    [InlineData("AWSALB=a=b")]
    [InlineData("other=1")]
    [InlineData("AWSALB=one; AWSALB=two")]
    [InlineData("AWSALB=one; awsalb=two")]
    [InlineData("AWSALB=\"quoted\"")]
    [InlineData("AWSALB=esc%41ped")]
    [InlineData("AWSALB=lb;theme=dark")]
    [InlineData("AWSALB=lb;  theme=dark")]
    [InlineData("AWSALB=lb; ")]
    [InlineData("AWSALB=lb;")]
    [InlineData(" AWSALB=lb")]
    [InlineData("AWSALB =lb")]
    [InlineData("AWS%41LB=lb")]
    [InlineData("we!rd=1; AWSALB=lb")]
    [InlineData("bad value=1; AWSALB=lb")]
    [InlineData("AWSALB=l,b")]
    [InlineData("=x; AWSALB=lb")]
    [InlineData("theme=; AWSALB=lb")]
    [InlineData("AWSALB=a!/b+c:d")]
    [InlineData("AWSALBCORS=x; AWSALBCORS=")]
    public void Finds_what_Request_Cookies_finds(string? header)
    {
        var context = new DefaultHttpContext();
        if (header is not null) context.Request.Headers.Cookie = header;

        var expected = context.Request.Cookies["AWSALBCORS"] ?? context.Request.Cookies["AWSALB"];
        var found = CookieHeaderLookup.TryGetFirst(new DefaultHttpContext { Request = { Headers = { Cookie = header } } }.Request, "AWSALBCORS", "AWSALB", out var value);

        Assert.Equal(expected is not null, found);
        Assert.Equal(expected ?? "", value.ToString());
    }

    [Fact]
    public void Two_cookie_lines_are_read_as_ASP_NET_reads_them()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = new Microsoft.Extensions.Primitives.StringValues(["theme=dark", "AWSALB=lb"]);

        Assert.True(CookieHeaderLookup.TryGetFirst(context.Request, "AWSALBCORS", "AWSALB", out var value));
        Assert.Equal(context.Request.Cookies["AWSALB"], value.ToString());
    }
}
