using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Elbe.DataPlane.ProxyProtocol;

/// <summary>
/// The text PROXY protocol v1 line the Classic Load Balancer sends (fact sheet 3.1), sharing <see cref="ProxyHeader"/>
/// with v2: <c>PROXY TCP4 src dst sport dport\r\n</c>, or <c>PROXY UNKNOWN\r\n</c> when no addresses are known.
/// </summary>
public static class ProxyProtocolV1
{
    /// <summary>The longest line a receiver must accept, CR LF included.</summary>
    public const int MaxLength = 107;

    public static string Format(ProxyHeader header)
    {
        if (header.Command == ProxyCommand.Local || header.Source is not { } source || header.Destination is not { } destination)
            return "PROXY UNKNOWN\r\n";
        var v4 = source.AddressFamily == AddressFamily.InterNetwork && destination.AddressFamily == AddressFamily.InterNetwork;
        var (from, to) = v4 ? (source.Address, destination.Address) : (Six(source.Address), Six(destination.Address));
        return string.Create(CultureInfo.InvariantCulture, $"PROXY {(v4 ? "TCP4" : "TCP6")} {from} {to} {source.Port} {destination.Port}\r\n");
    }

    public static byte[] ToBytes(ProxyHeader header) => Encoding.ASCII.GetBytes(Format(header));

    /// <summary>Reads the line at the start of <paramref name="data"/>; <paramref name="consumed"/> includes its CR LF.</summary>
    public static ProxyParseStatus TryParse(ReadOnlySpan<byte> data, out ProxyHeader? header, out int consumed)
    {
        header = null;
        consumed = 0;
        ReadOnlySpan<byte> proxy = "PROXY "u8;
        var prefix = Math.Min(data.Length, proxy.Length);
        if (!data[..prefix].SequenceEqual(proxy[..prefix])) return ProxyParseStatus.Invalid;
        var end = data[..Math.Min(data.Length, MaxLength)].IndexOf("\r\n"u8);
        if (end < 0) return data.Length >= MaxLength ? ProxyParseStatus.Invalid : ProxyParseStatus.NeedMoreData;

        var line = Encoding.ASCII.GetString(data[..end]);
        if (line.Contains('\r') || line.Contains('\n')) return ProxyParseStatus.Invalid;
        var parts = line.Split(' ');
        if (parts.Length >= 2 && parts[1] == "UNKNOWN")
        {
            header = new ProxyHeader(ProxyCommand.Proxy, ProxyTransport.Unspecified, null, null, []);
            consumed = end + 2;
            return ProxyParseStatus.Complete;
        }
        if (parts.Length != 6 || parts[1] is not ("TCP4" or "TCP6")) return ProxyParseStatus.Invalid;
        var family = parts[1] == "TCP4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        if (!IPAddress.TryParse(parts[2], out var from) || from.AddressFamily != family
            || !IPAddress.TryParse(parts[3], out var to) || to.AddressFamily != family
            || !TryPort(parts[4], out var fromPort) || !TryPort(parts[5], out var toPort))
            return ProxyParseStatus.Invalid;

        header = ProxyHeader.For(ProxyTransport.Stream, new IPEndPoint(from, fromPort), new IPEndPoint(to, toPort));
        consumed = end + 2;
        return ProxyParseStatus.Complete;
    }

    private static IPAddress Six(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork ? address.MapToIPv6() : address;

    // No sign, no leading zeros (fact sheet 3.1).
    private static bool TryPort(string text, out int port)
    {
        port = 0;
        if (text.Length is 0 or > 5 || (text.Length > 1 && text[0] == '0')) return false;
        foreach (var c in text)
            if (!char.IsAsciiDigit(c)) return false;
        port = int.Parse(text, CultureInfo.InvariantCulture);
        return port <= 65535;
    }
}
