using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Elbe.Model.Validation;

/// <summary>Syntax check for the CIDR blocks of source-ip conditions.</summary>
public static class CidrNotation
{
    /// <summary>
    /// True for <c>address/prefix</c> with an IPv4 (prefix 0-32) or IPv6 (0-128) address. Host bits may be set:
    /// the matcher masks them off, and refusing them would reject rules AWS is not known to reject.
    /// </summary>
    public static bool IsValid(string cidr, out AddressFamily family, out int prefixLength)
    {
        family = AddressFamily.Unknown;
        prefixLength = -1;
        var slash = cidr.IndexOf('/');
        if (slash <= 0 || !IPAddress.TryParse(cidr.AsSpan(0, slash), out var address)) return false;
        // IPAddress also takes shorthand such as "10" or "10.1"; a CIDR has to spell out all four octets.
        if (address.AddressFamily == AddressFamily.InterNetwork && cidr.AsSpan(0, slash).Count('.') != 3) return false;
        if (!int.TryParse(cidr.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefixLength)) return false;
        family = address.AddressFamily;
        var max = family == AddressFamily.InterNetwork ? 32 : 128;
        return prefixLength <= max;
    }
}
