using System.Security.Cryptography;
using Elbe.Routing.Stickiness;

namespace Elbe.Routing.Tests.Stickiness;

public sealed class StickinessCookieTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 11, 24, 10, 30, 15, TimeSpan.Zero);
    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);
    private const string TargetGroupArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef";

    private readonly StickinessCookieCipher _cipher = new(RandomNumberGenerator.GetBytes(32));

    public void Dispose() => _cipher.Dispose();

    [Fact]
    public void Lb_cookie_round_trips()
    {
        var codec = new LbCookieCodec(_cipher);
        var value = codec.Encode(TargetGroupArn, "10.0.1.17:8080", Now);

        Assert.True(codec.TryDecode(value, Now.AddHours(23), OneDay, out var sticky));
        Assert.Equal(new StickyTarget(TargetGroupArn, "10.0.1.17:8080", Now), sticky);
    }

    [Fact]
    public void Lb_cookie_decodes_for_its_target_group_without_strings_as_it_decodes_with_them()
    {
        var codec = new LbCookieCodec(_cipher);
        var value = codec.Encode(TargetGroupArn, "[2001:db8::1]:443", Now);
        Span<char> endpoint = stackalloc char[64];

        Assert.True(codec.TryDecodeFor(value, TargetGroupArn, Now.AddHours(23), OneDay, endpoint, out var length, out var issuedAt));
        Assert.Equal("[2001:db8::1]:443", endpoint[..length].ToString());
        Assert.Equal(Now, issuedAt);

        Assert.False(codec.TryDecodeFor(value, TargetGroupArn + "0", Now, OneDay, endpoint, out _, out _));
        Assert.False(codec.TryDecodeFor(value, TargetGroupArn[..^1], Now, OneDay, endpoint, out _, out _));
        Assert.False(codec.TryDecodeFor(value, TargetGroupArn, Now.AddDays(1).AddSeconds(1), OneDay, endpoint, out _, out _));
        Assert.False(codec.TryDecodeFor(value[..^2] + (value[^2] == 'A' ? "BA" : "AA"), TargetGroupArn, Now, OneDay, endpoint, out _, out _));
        Assert.False(codec.TryDecodeFor(value, TargetGroupArn, Now, OneDay, stackalloc char[8], out _, out _));
    }

    [Fact]
    public void Values_are_cookie_safe_base64url()
    {
        var value = new LbCookieCodec(_cipher).Encode(TargetGroupArn, "[2001:db8::1]:443", Now);
        Assert.All(value, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}'"));
    }

    [Fact]
    public void Each_encoding_differs_because_nonces_do() =>
        Assert.NotEqual(new LbCookieCodec(_cipher).Encode("tg", "10.0.0.1:80", Now), new LbCookieCodec(_cipher).Encode("tg", "10.0.0.1:80", Now));

    [Fact]
    public void Lb_cookie_expires_after_the_stickiness_duration()
    {
        var codec = new LbCookieCodec(_cipher);
        var value = codec.Encode(TargetGroupArn, "10.0.1.17:8080", Now);
        Assert.False(codec.TryDecode(value, Now + OneDay, OneDay, out _));
        Assert.True(codec.TryDecode(value, Now + OneDay - TimeSpan.FromSeconds(1), OneDay, out _));
    }

    [Fact]
    public void Tampered_or_foreign_values_do_not_decode()
    {
        var codec = new LbCookieCodec(_cipher);
        var value = codec.Encode(TargetGroupArn, "10.0.1.17:8080", Now);
        var chars = value.ToCharArray();
        chars[20] = chars[20] == 'A' ? 'B' : 'A';

        Assert.False(codec.TryDecode(new string(chars), Now, OneDay, out _));
        Assert.False(codec.TryDecode(value.AsSpan(0, value.Length - 1), Now, OneDay, out _));
        Assert.False(codec.TryDecode("", Now, OneDay, out _));
        Assert.False(codec.TryDecode("not base64!", Now, OneDay, out _));
        Assert.False(codec.TryDecode(Uri.EscapeDataString(value + "=="), Now, OneDay, out _));

        using var otherKey = new StickinessCookieCipher(RandomNumberGenerator.GetBytes(32));
        Assert.False(new LbCookieCodec(otherKey).TryDecode(value, Now, OneDay, out _));
    }

    [Fact]
    public void A_cookie_of_one_kind_is_not_accepted_as_another()
    {
        var lbValue = new LbCookieCodec(_cipher).Encode(TargetGroupArn, "10.0.1.17:8080", Now);
        var tgValue = new TargetGroupCookieCodec(_cipher).Encode(TargetGroupArn, Now);
        Assert.False(new TargetGroupCookieCodec(_cipher).TryDecode(lbValue, Now, OneDay, out _, out _));
        Assert.False(new LbCookieCodec(_cipher).TryDecode(tgValue, Now, OneDay, out _));
        Assert.False(new AppCookieCodec(_cipher).TryDecode(lbValue, Now, OneDay, out _));
    }

    [Fact]
    public void App_cookie_round_trips_in_one_shard()
    {
        var codec = new AppCookieCodec(_cipher);
        var value = codec.Encode("SESSIONID", TargetGroupArn, "10.0.1.17:8080", Now);
        Assert.Equal(1, AppCookieCodec.ShardCount(value));
        Assert.Equal(value, AppCookieCodec.Shard(value, 0).ToString());

        Assert.True(codec.TryDecode(value, Now.AddMinutes(5), OneDay, out var sticky));
        Assert.Equal(new StickyTarget(TargetGroupArn, "10.0.1.17:8080", Now, "SESSIONID"), sticky);
        Assert.False(codec.TryDecode(value, Now + OneDay, OneDay, out _));
    }

    [Fact]
    public void App_cookie_shards_long_values()
    {
        var value = new AppCookieCodec(_cipher).Encode(new string('n', 5000), TargetGroupArn, "10.0.1.17:8080", Now);
        Assert.Equal(2, AppCookieCodec.ShardCount(value));
        Assert.Equal(value, string.Concat(AppCookieCodec.Shard(value, 0), AppCookieCodec.Shard(value, 1)));
        Assert.True(new AppCookieCodec(_cipher).TryDecode(value, Now, OneDay, out var sticky));
        Assert.Equal(5000, sticky.AppCookieName!.Length);
    }

    [Fact]
    public void Target_group_cookie_round_trips_and_expires()
    {
        var codec = new TargetGroupCookieCodec(_cipher);
        var value = codec.Encode(TargetGroupArn, Now);
        Assert.True(codec.TryDecode(value, Now.AddSeconds(59), TimeSpan.FromMinutes(1), out var id, out var issued));
        Assert.Equal(TargetGroupArn, id);
        Assert.Equal(Now, issued);
        Assert.False(codec.TryDecode(value, Now.AddSeconds(60), TimeSpan.FromMinutes(1), out _, out _));
    }

    [Fact]
    public void Cookies_from_far_in_the_future_are_rejected()
    {
        var codec = new LbCookieCodec(_cipher);
        var value = codec.Encode(TargetGroupArn, "10.0.1.17:8080", Now.AddHours(1));
        Assert.False(codec.TryDecode(value, Now, OneDay, out _));
    }

    [Fact]
    public void Cipher_needs_an_aes_key_size() =>
        Assert.Throws<ArgumentException>(() => new StickinessCookieCipher(new byte[20]));

    [Fact]
    public void Codecs_are_safe_to_use_from_many_threads()
    {
        var codec = new LbCookieCodec(_cipher);
        Parallel.For(0, 2000, i =>
        {
            var endpoint = $"10.0.{i / 256}.{i % 256}:80";
            Assert.True(codec.TryDecode(codec.Encode("tg", endpoint, Now), Now, OneDay, out var sticky));
            Assert.Equal(endpoint, sticky.Endpoint);
        });
    }
}
