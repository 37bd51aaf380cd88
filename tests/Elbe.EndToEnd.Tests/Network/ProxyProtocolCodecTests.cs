using System.Net;
using Elbe.DataPlane.ProxyProtocol;

namespace Elbe.EndToEnd.Tests.Network;

/// <summary>The PROXY protocol codec against the byte vectors of the fact sheet (section 3).</summary>
public class ProxyProtocolCodecTests
{
    private static readonly IPEndPoint Client4 = IPEndPoint.Parse("192.168.0.1:8080");
    private static readonly IPEndPoint Node4 = IPEndPoint.Parse("10.0.0.1:80");

    [Fact]
    public void V2_ipv4_tcp_header_matches_the_fact_sheet_vector()
    {
        var bytes = ProxyProtocolV2.ToBytes(ProxyHeader.For(ProxyTransport.Stream, Client4, Node4));
        Assert.Equal(Convert.FromHexString("0D0A0D0A000D0A515549540A" + "21" + "11" + "000C" + "C0A80001" + "0A000001" + "1F90" + "0050"), bytes);
    }

    [Fact]
    public void V2_ipv6_header_carries_36_address_bytes()
    {
        var header = ProxyHeader.For(ProxyTransport.Datagram, IPEndPoint.Parse("[2001:db8::1]:35646"), IPEndPoint.Parse("[2001:db8::2]:53"));
        var bytes = ProxyProtocolV2.ToBytes(header);
        Assert.Equal(
            Convert.FromHexString("0D0A0D0A000D0A515549540A" + "21" + "22" + "0024"
                + "20010DB8000000000000000000000001" + "20010DB8000000000000000000000002" + "8B3E" + "0035"),
            bytes);
        Assert.Equal(ProxyParseStatus.Complete, ProxyProtocolV2.TryParse(bytes, out var parsed, out var consumed));
        Assert.Equal(52, consumed);
        Assert.Equal(header.Source, parsed!.Source);
        Assert.Equal(header.Destination, parsed.Destination);
        Assert.Equal(ProxyTransport.Datagram, parsed.Transport);
    }

    [Fact]
    public void V2_local_header_is_sixteen_bytes_with_no_addresses()
    {
        var bytes = ProxyProtocolV2.ToBytes(ProxyHeader.Local);
        Assert.Equal(Convert.FromHexString("0D0A0D0A000D0A515549540A" + "20" + "00" + "0000"), bytes);
        Assert.Equal(ProxyParseStatus.Complete, ProxyProtocolV2.TryParse(bytes, out var parsed, out var consumed));
        Assert.Equal((ProxyCommand.Local, 16), (parsed!.Command, consumed));
        Assert.Null(parsed.Source);
    }

    [Fact]
    public void V2_tlvs_round_trip_and_unknown_types_are_kept()
    {
        var vpce = new ProxyTlv(ProxyTlv.Aws, [0x01, .. "vpce-08d2bf15fac5001c9"u8.ToArray()]);
        var custom = new ProxyTlv(0xE3, [1, 2, 3]);
        var header = ProxyHeader.For(ProxyTransport.Stream, Client4, Node4) with { Tlvs = [vpce, custom] };
        var bytes = ProxyProtocolV2.ToBytes(header);
        Assert.Equal(16 + 12 + 3 + 23 + 3 + 3, bytes.Length);
        Assert.Equal(Convert.FromHexString("EA0017" + "01"), bytes[28..32]);

        byte[] withPayload = [.. bytes, .. "GET / HTTP/1.1\r\n"u8.ToArray()];
        Assert.Equal(ProxyParseStatus.Complete, ProxyProtocolV2.TryParse(withPayload, out var parsed, out var consumed));
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal([ProxyTlv.Aws, (byte)0xE3], parsed!.Tlvs.Select(t => t.Type));
        Assert.Equal(vpce.Value, parsed.Tlvs[0].Value);
    }

    [Fact]
    public void V2_parser_asks_for_more_bytes_and_rejects_what_is_not_a_header()
    {
        var bytes = ProxyProtocolV2.ToBytes(ProxyHeader.For(ProxyTransport.Stream, Client4, Node4));
        for (var cut = 0; cut < bytes.Length; cut++)
            Assert.Equal(ProxyParseStatus.NeedMoreData, ProxyProtocolV2.TryParse(bytes.AsSpan(0, cut), out _, out _));
        Assert.Equal(ProxyParseStatus.Invalid, ProxyProtocolV2.TryParse("GET / HTTP/1.1\r\n"u8, out _, out _));

        var badVersion = (byte[])bytes.Clone();
        badVersion[12] = 0x11;
        Assert.Equal(ProxyParseStatus.Invalid, ProxyProtocolV2.TryParse(badVersion, out _, out _));
        var badCommand = (byte[])bytes.Clone();
        badCommand[12] = 0x22;
        Assert.Equal(ProxyParseStatus.Invalid, ProxyProtocolV2.TryParse(badCommand, out _, out _));
        var truncatedTlv = (byte[])bytes.Clone();
        truncatedTlv[15] = 0x0E; // two bytes of "TLV" that cannot hold a type and a length
        Assert.Equal(ProxyParseStatus.Invalid, ProxyProtocolV2.TryParse([.. truncatedTlv, 0xE0, 0x00], out _, out _));
    }

    [Fact]
    public void V1_lines_match_the_fact_sheet_and_parse_back()
    {
        var v4 = ProxyHeader.For(ProxyTransport.Stream, IPEndPoint.Parse("198.51.100.22:35646"), IPEndPoint.Parse("203.0.113.7:80"));
        Assert.Equal("PROXY TCP4 198.51.100.22 203.0.113.7 35646 80\r\n", ProxyProtocolV1.Format(v4));
        var v6 = ProxyHeader.For(ProxyTransport.Stream, IPEndPoint.Parse("[2001:db8::1]:35646"), IPEndPoint.Parse("[2001:db8::2]:80"));
        Assert.Equal("PROXY TCP6 2001:db8::1 2001:db8::2 35646 80\r\n", ProxyProtocolV1.Format(v6));
        Assert.Equal("PROXY UNKNOWN\r\n", ProxyProtocolV1.Format(ProxyHeader.Local));

        Assert.Equal(ProxyParseStatus.Complete, ProxyProtocolV1.TryParse(ProxyProtocolV1.ToBytes(v6), out var parsed, out var consumed));
        Assert.Equal((v6.Source, v6.Destination, 45), (parsed!.Source, parsed.Destination, consumed));
        Assert.Equal(ProxyParseStatus.NeedMoreData, ProxyProtocolV1.TryParse("PROXY TCP4 1.2.3.4"u8, out _, out _));
        Assert.Equal(ProxyParseStatus.Invalid, ProxyProtocolV1.TryParse("PROXY TCP4 1.2.3.4 5.6.7.8 080 80\r\n"u8, out _, out _));
        Assert.Equal(ProxyParseStatus.Invalid, ProxyProtocolV1.TryParse(System.Text.Encoding.ASCII.GetBytes("PROXY UNKNOWN " + new string('x', 100)), out _, out _));
    }
}
