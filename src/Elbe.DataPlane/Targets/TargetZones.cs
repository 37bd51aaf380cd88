using System.Net;
using Elbe.Model.Resources;
using Elbe.Routing.Targets;

namespace Elbe.DataPlane.Targets;

/// <summary>
/// Which zone a registered target is in, from the server's subnets: the zone given at registration, else the
/// zone of the instance's subnet or of the subnet whose CIDR holds the address. An address outside every
/// subnet (127.0.0.1, a host elsewhere) counts as <see cref="ZonalTargetCandidates.AllZones"/>, as AWS's
/// <c>all</c> does for targets outside the VPC, so it stays reachable whichever zone a request lands in.
/// </summary>
public sealed class TargetZones
{
    private readonly (IPNetwork Network, string ZoneName)[] _networks;
    private readonly Dictionary<string, string> _subnetZones = new(StringComparer.Ordinal);

    public TargetZones(IReadOnlyList<Subnet> subnets)
    {
        var networks = new List<(IPNetwork, string)>(subnets.Count);
        foreach (var subnet in subnets)
        {
            _subnetZones.TryAdd(subnet.SubnetId, subnet.ZoneName);
            if (IPNetwork.TryParse(subnet.Cidr, out var network)) networks.Add((network, subnet.ZoneName));
            else if (IPAddress.TryParse(subnet.Cidr, out var single)) networks.Add((new IPNetwork(single, single.GetAddressBytes().Length * 8), subnet.ZoneName));
        }
        _networks = [.. networks];
    }

    public string ZoneOf(TargetDescription target, string address, Instance? instance)
    {
        if (target.AvailabilityZone is { } given) return given;
        if (instance?.SubnetId is { } subnetId && _subnetZones.TryGetValue(subnetId, out var instanceZone)) return instanceZone;
        return ZoneOfAddress(address);
    }

    private string ZoneOfAddress(string address)
    {
        if (!IPAddress.TryParse(address, out var parsed)) return ZonalTargetCandidates.AllZones;
        // The narrowest subnet wins, so a /32 mapped onto an interface beats a wider range that also holds it.
        string? zone = null;
        var narrowest = -1;
        foreach (var (network, zoneName) in _networks)
        {
            if (network.PrefixLength > narrowest && network.Contains(parsed))
            {
                zone = zoneName;
                narrowest = network.PrefixLength;
            }
        }
        return zone ?? ZonalTargetCandidates.AllZones;
    }
}
