using System.Collections.Immutable;
using System.Net;
using Elbe.Model.Resources;
using Elbe.Model.Validation;

namespace Elbe.ControlPlane.Nodes;

/// <summary>
/// Gives every load balancer one node per subnet it names, each with the local address it will listen on.
/// Addresses survive reloads: a load balancer already in the previous configuration (same ARN) keeps the
/// address it had in each subnet it still uses, so clients and DNS answers do not move under it.
/// </summary>
public sealed class NodeAddressAllocator(IReadOnlyList<Subnet> subnets, ElbeConfiguration? previous = null)
{
    public NodeAllocation Allocate(IReadOnlyList<NodeAllocationRequest> requests)
    {
        var errors = new List<ModelValidationException>();
        var ranges = new Dictionary<string, SubnetAddressRange>(StringComparer.Ordinal);
        foreach (var subnet in subnets)
        {
            if (SubnetAddressRange.TryParse(subnet) is { } range) ranges[subnet.SubnetId] = range;
            else errors.Add(new ModelValidationException("InvalidSubnet", $"Subnet '{subnet.SubnetId}' has an invalid CIDR '{subnet.Cidr}'."));
        }

        var previousNodes = (previous?.LoadBalancers ?? []).ToDictionary(lb => lb.Arn, lb => lb.Nodes, StringComparer.Ordinal);
        var used = new HashSet<IPAddress>();
        // Load balancers of the previous configuration that are not asked about here (created through the API while
        // a template is loaded) keep their addresses, so a new node must not be given one of them.
        var requested = new HashSet<string>(requests.Select(r => r.LoadBalancerArn), StringComparer.Ordinal);
        foreach (var (arn, nodes) in previousNodes)
        {
            if (requested.Contains(arn)) continue;
            foreach (var node in nodes)
                if (IPAddress.TryParse(node.IpAddress, out var held) && ranges.TryGetValue(node.SubnetId, out var range) && !range.IsSingleAddress)
                    used.Add(held);
        }
        var chosen = new Dictionary<(string Arn, int Index), IPAddress>();
        var failed = new HashSet<string>(StringComparer.Ordinal);

        // Pinned and previously held addresses are claimed before any new address is handed out,
        // so a new load balancer earlier in the template cannot take an address someone already has.
        foreach (var request in requests)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < request.Placements.Count; i++)
            {
                var placement = request.Placements[i];
                if (!ranges.TryGetValue(placement.SubnetId, out var range))
                {
                    errors.Add(new ModelValidationException("SubnetNotFound", $"The subnet ID '{placement.SubnetId}' is not valid.", request.LoadBalancerArn, placement.Path));
                    failed.Add(request.LoadBalancerArn);
                    continue;
                }
                if (!seen.Add(placement.SubnetId))
                {
                    errors.Add(new ModelValidationException("InvalidConfigurationRequest", $"Subnet '{placement.SubnetId}' is named more than once.", request.LoadBalancerArn, placement.Path));
                    failed.Add(request.LoadBalancerArn);
                    continue;
                }
                if (placement.PrivateIPv4Address is { } pinnedText)
                {
                    if (!IPAddress.TryParse(pinnedText, out var pinned) || !range.IsAssignable(pinned))
                    {
                        errors.Add(new ModelValidationException("InvalidConfigurationRequest",
                            $"Private IPv4 address '{pinnedText}' is not an assignable address of subnet '{placement.SubnetId}' ({range.Subnet.Cidr}).",
                            request.LoadBalancerArn, placement.Path));
                        failed.Add(request.LoadBalancerArn);
                        continue;
                    }
                    if (!range.IsSingleAddress && !used.Add(pinned))
                    {
                        errors.Add(new ModelValidationException("InvalidConfigurationRequest",
                            $"Private IPv4 address '{pinnedText}' is already in use by another load balancer node.", request.LoadBalancerArn, placement.Path));
                        failed.Add(request.LoadBalancerArn);
                        continue;
                    }
                    chosen[(request.LoadBalancerArn, i)] = pinned;
                    continue;
                }
                if (previousNodes.TryGetValue(request.LoadBalancerArn, out var nodes)
                    && nodes.FirstOrDefault(n => n.SubnetId == placement.SubnetId) is { } old
                    && IPAddress.TryParse(old.IpAddress, out var kept) && range.IsAssignable(kept)
                    && (range.IsSingleAddress || used.Add(kept)))
                {
                    chosen[(request.LoadBalancerArn, i)] = kept;
                }
            }
        }

        var result = new Dictionary<string, ImmutableArray<LoadBalancerNode>>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            if (failed.Contains(request.LoadBalancerArn)) continue;
            var nodes = ImmutableArray.CreateBuilder<LoadBalancerNode>(request.Placements.Count);
            var complete = true;
            for (var i = 0; i < request.Placements.Count; i++)
            {
                var placement = request.Placements[i];
                var range = ranges[placement.SubnetId];
                if (!chosen.TryGetValue((request.LoadBalancerArn, i), out var address))
                {
                    address = range.Assignable().FirstOrDefault(a => range.IsSingleAddress || !used.Contains(a))!;
                    if (address is null)
                    {
                        errors.Add(new ModelValidationException("InvalidSubnet",
                            $"Not enough IP space available in subnet '{placement.SubnetId}' ({range.Subnet.Cidr}).", request.LoadBalancerArn, placement.Path));
                        complete = false;
                        continue;
                    }
                    used.Add(address);
                }
                nodes.Add(new LoadBalancerNode(placement.SubnetId, range.Subnet.ZoneName, address.ToString()));
            }
            if (complete) result[request.LoadBalancerArn] = nodes.MoveToImmutable();
        }
        return new NodeAllocation(result, errors);
    }
}
