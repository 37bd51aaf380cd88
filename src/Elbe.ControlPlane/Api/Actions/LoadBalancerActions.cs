using System.Collections.Immutable;
using Elbe.ControlPlane.Api.Shapes;
using Elbe.ControlPlane.Nodes;
using Elbe.ControlPlane.Templates;
using Elbe.Model.Attributes;
using Elbe.Model.Identifiers;
using Elbe.Model.Resources;
using Elbe.Model.Validation;

namespace Elbe.ControlPlane.Api.Actions;

/// <summary>Load balancers: create, describe, delete, attributes, subnets, security groups, address type, IPAM pools, capacity.</summary>
public static class LoadBalancerActions
{
    public const int MaxApplicationLoadBalancers = 50;
    public const int MaxNetworkLoadBalancers = 50;
    public const int MaxGatewayLoadBalancers = 100;
    public const int MaxArnsPerDescribe = 20;

    private const string NotFoundMessage = "One or more load balancers not found";

    public static void Register(ApiActionTable table) => table
        .AddElbv2("CreateLoadBalancer", CreateLoadBalancerAsync)
        .AddElbv2("DescribeLoadBalancers", DescribeLoadBalancersAsync)
        .AddElbv2("DeleteLoadBalancer", DeleteLoadBalancerAsync)
        .AddElbv2("DescribeLoadBalancerAttributes", DescribeLoadBalancerAttributesAsync)
        .AddElbv2("ModifyLoadBalancerAttributes", ModifyLoadBalancerAttributesAsync)
        .AddElbv2("SetSubnets", SetSubnetsAsync)
        .AddElbv2("SetSecurityGroups", SetSecurityGroupsAsync)
        .AddElbv2("SetIpAddressType", SetIpAddressTypeAsync)
        .AddElbv2("ModifyIpPools", ModifyIpPoolsAsync)
        .AddElbv2("DescribeCapacityReservation", DescribeCapacityReservationAsync)
        .AddElbv2("ModifyCapacityReservation", ModifyCapacityReservationAsync);

    private static async Task<Action<AwsXmlWriter>?> CreateLoadBalancerAsync(ApiCall call)
    {
        var p = call.Parameters;
        var name = p.Require("Name");
        if (ResourceNameRules.CheckLoadBalancerName(name) is { } badName) throw ApiException.Validation(badName);
        var typeName = p.Get("Type") ?? "application";
        var type = LoadBalancerShape.ParseType(typeName)
            ?? throw ApiException.Constraint("type", typeName, "Member must satisfy enum value set: [application, network, gateway]");

        var schemeGiven = p.Get("Scheme");
        if (schemeGiven is not (null or "internet-facing" or "internal"))
            throw ApiException.Constraint("scheme", schemeGiven, "Member must satisfy enum value set: [internet-facing, internal]");
        var scheme = type == LoadBalancerType.Gateway ? "" : schemeGiven ?? "internet-facing";
        if (type == LoadBalancerType.Gateway && schemeGiven is not null)
            throw new ApiException(ErrorCodes.InvalidConfigurationRequest, "A scheme cannot be specified for load balancers of type 'gateway'");

        var ipAddressType = CheckIpAddressType(type, p.Get("IpAddressType") ?? "ipv4");
        var securityGroups = p.GetList("SecurityGroups") is { } sgs ? CheckSecurityGroups(type, sgs) : [];
        var placements = ReadPlacements(p, type, required: false);
        var tags = TagShape.ReadList(p) ?? [];
        var prefixForIpv6 = CheckOnOff(p, "EnablePrefixForIpv6SourceNat");
        if (prefixForIpv6 is not null && type != LoadBalancerType.Network)
            throw new ApiException(ErrorCodes.InvalidConfigurationRequest, "EnablePrefixForIpv6SourceNat is supported only by Network Load Balancers");
        var customerOwnedPool = p.Get("CustomerOwnedIpv4Pool");
        var ipamPool = p.GetStruct("IpamPools")?.Get("Ipv4IpamPoolId");

        var id = Arns.NewId();
        var arn = Arns.LoadBalancer(call.Region, call.AccountId, type, name, id);
        var created = await call.Store.MutateAsync(config =>
        {
            var existing = config.LoadBalancers.FirstOrDefault(lb => string.Equals(lb.Name, name, StringComparison.OrdinalIgnoreCase));
            if (existing is not null)
            {
                var same = existing.Type == type && existing.Scheme == scheme && existing.IpAddressType == ipAddressType
                    && existing.SecurityGroups.ToHashSet().SetEquals(securityGroups)
                    && (placements is null || existing.Nodes.Select(n => n.SubnetId).ToHashSet().SetEquals(placements.Select(pl => pl.SubnetId)));
                if (!same)
                    throw new ApiException(ErrorCodes.DuplicateLoadBalancerName, $"A load balancer with the same name '{name}' exists, but with different settings");
                return (config, existing);
            }
            var limit = type switch
            {
                LoadBalancerType.Network => MaxNetworkLoadBalancers,
                LoadBalancerType.Gateway => MaxGatewayLoadBalancers,
                _ => MaxApplicationLoadBalancers,
            };
            if (config.LoadBalancers.Count(lb => lb.Type == type) >= limit)
                throw new ApiException("TooManyLoadBalancers", "You've reached the limit on the number of load balancers for your account");

            var lb = new LoadBalancer
            {
                Arn = arn,
                Name = name,
                Id = id,
                Type = type,
                Scheme = scheme,
                IpAddressType = ipAddressType,
                DnsName = Arns.DnsName(type, scheme, name, id, call.Region),
                CanonicalHostedZoneId = HostedZones.For(type, call.Region),
                CreatedTime = DateTimeOffset.UtcNow,
                SecurityGroups = securityGroups,
                Tags = tags,
                CustomerOwnedIpv4Pool = customerOwnedPool,
                EnablePrefixForIpv6SourceNat = prefixForIpv6,
                Ipv4IpamPoolId = ipamPool,
                // An NLB with security groups filters PrivateLink traffic through them unless told otherwise.
                EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic = type == LoadBalancerType.Network && securityGroups.Length > 0 ? "on" : null,
            };
            lb = lb with { Nodes = AllocateNodes(call, config, lb, placements ?? [.. call.Subnets.Select(s => new NodePlacement(s.SubnetId, null, "subnets"))]) };
            var next = config with { LoadBalancers = config.LoadBalancers.Add(lb) };
            ValidateChange(config, next);
            return (next, lb);
        });
        return w => w.List("LoadBalancers", [created], LoadBalancerShape.Write);
    }

    private static Task<Action<AwsXmlWriter>?> DescribeLoadBalancersAsync(ApiCall call)
    {
        var p = call.Parameters;
        var arns = p.GetList("LoadBalancerArns");
        var names = p.GetList("Names");
        if (arns is { Count: > 0 } && names is { Count: > 0 })
            throw ApiException.Validation("Load balancer names and load balancer ARNs cannot be specified at the same time");
        if (arns is { Count: > MaxArnsPerDescribe })
            throw ApiException.Constraint("loadBalancerArns", $"[{string.Join(", ", arns)}]", $"Member must have length less than or equal to {MaxArnsPerDescribe}");

        var all = call.Store.Current.LoadBalancers;
        IReadOnlyList<LoadBalancer> selected = all;
        if (arns is { Count: > 0 })
        {
            var wanted = arns.ToHashSet(StringComparer.Ordinal);
            selected = [.. all.Where(lb => wanted.Contains(lb.Arn))];
            if (wanted.Count != selected.Count) throw new ApiException(ErrorCodes.LoadBalancerNotFound, NotFoundMessage);
        }
        else if (names is { Count: > 0 })
        {
            var wanted = names.ToHashSet(StringComparer.OrdinalIgnoreCase);
            selected = [.. all.Where(lb => wanted.Contains(lb.Name))];
            if (wanted.Count != selected.Count) throw new ApiException(ErrorCodes.LoadBalancerNotFound, NotFoundMessage);
        }
        var (page, next) = Pagination.Paginate(selected, p);
        return Result(w => w.List("LoadBalancers", page, LoadBalancerShape.Write).Value("NextMarker", next));
    }

    private static async Task<Action<AwsXmlWriter>?> DeleteLoadBalancerAsync(ApiCall call)
    {
        var arn = call.Parameters.Require("LoadBalancerArn");
        await call.Store.MutateAsync(config =>
        {
            var lb = config.LoadBalancers.FirstOrDefault(x => x.Arn == arn);
            if (lb is null) return (config, 0);
            if (new AttributeSet(lb.Attributes, LoadBalancerAttributeShape.Definitions(lb)).GetBool("deletion_protection.enabled"))
                throw new ApiException("OperationNotPermitted", $"Load balancer '{arn}' cannot be deleted because deletion protection is enabled");
            var listenerArns = config.Listeners.Where(l => l.LoadBalancerArn == arn).Select(l => l.Arn).ToHashSet(StringComparer.Ordinal);
            var next = config with
            {
                LoadBalancers = config.LoadBalancers.Remove(lb),
                Listeners = config.Listeners.RemoveAll(l => listenerArns.Contains(l.Arn)),
                Rules = config.Rules.RemoveAll(r => listenerArns.Contains(r.ListenerArn)),
            };
            return (next, 0);
        });
        return null;
    }

    private static Task<Action<AwsXmlWriter>?> DescribeLoadBalancerAttributesAsync(ApiCall call)
    {
        var lb = Find(call.Store.Current, call.Parameters.Require("LoadBalancerArn"));
        return Result(w => LoadBalancerAttributeShape.Write(w, LoadBalancerAttributeShape.All(lb)));
    }

    private static async Task<Action<AwsXmlWriter>?> ModifyLoadBalancerAttributesAsync(ApiCall call)
    {
        var arn = call.Parameters.Require("LoadBalancerArn");
        var changes = LoadBalancerAttributeShape.ReadList(call.Parameters, "Attributes");
        if (changes.Count > LoadBalancerAttributeShape.MaxAttributesPerModify)
            throw ApiException.Constraint("attributes", null, $"Member must have length less than or equal to {LoadBalancerAttributeShape.MaxAttributesPerModify}");
        var updated = await call.Store.MutateAsync(config =>
        {
            var lb = Find(config, arn);
            var definitions = LoadBalancerAttributeShape.Definitions(lb);
            var before = new AttributeSet(lb.Attributes, definitions);
            var values = lb.Attributes.ToBuilder();
            foreach (var (key, value) in changes)
            {
                if (AttributeSet.Check(definitions, key, value) is { } why)
                    throw new ApiException(ErrorCodes.InvalidConfigurationRequest, why);
                values[key] = value;
            }
            var after = new AttributeSet(values.ToImmutable(), definitions);
            CheckAttributeTransition(lb, before, after);
            var changed = lb with { Attributes = values.ToImmutable() };
            var next = Replace(config, lb, changed);
            ValidateChange(config, next);
            return (next, changed);
        });
        return w => LoadBalancerAttributeShape.Write(w, LoadBalancerAttributeShape.All(updated));
    }

    private static void CheckAttributeTransition(LoadBalancer lb, AttributeSet before, AttributeSet after)
    {
        foreach (var prefix in new[] { "access_logs.s3", "connection_logs.s3", "health_check_logs.s3" })
        {
            if (!LoadBalancerAttributeShape.Definitions(lb).Any(d => d.Key == prefix + ".enabled")) continue;
            if (after.GetBool(prefix + ".enabled") && after.Get(prefix + ".bucket").Length == 0)
                throw new ApiException(ErrorCodes.InvalidConfigurationRequest, $"The value of '{prefix}.bucket' cannot be empty when '{prefix}.enabled' is true");
        }
        if (lb.Type == LoadBalancerType.Network
            && after.GetInt(NetworkLoadBalancerAttributes.SecondaryIpsPerSubnet) < before.GetInt(NetworkLoadBalancerAttributes.SecondaryIpsPerSubnet))
            throw new ApiException(ErrorCodes.InvalidConfigurationRequest, $"The value of '{NetworkLoadBalancerAttributes.SecondaryIpsPerSubnet}' cannot be decreased");
    }

    private static async Task<Action<AwsXmlWriter>?> SetSubnetsAsync(ApiCall call)
    {
        var p = call.Parameters;
        var arn = p.Require("LoadBalancerArn");
        var ipAddressType = p.Get("IpAddressType");
        var prefixForIpv6 = CheckOnOff(p, "EnablePrefixForIpv6SourceNat");
        var updated = await call.Store.MutateAsync(config =>
        {
            var lb = Find(config, arn);
            var placements = ReadPlacements(p, lb.Type, required: true)!;
            if (prefixForIpv6 is not null && lb.Type != LoadBalancerType.Network)
                throw new ApiException(ErrorCodes.InvalidConfigurationRequest, "EnablePrefixForIpv6SourceNat is supported only by Network Load Balancers");
            var changed = lb with
            {
                IpAddressType = ipAddressType is null ? lb.IpAddressType : CheckIpAddressType(lb.Type, ipAddressType),
                EnablePrefixForIpv6SourceNat = prefixForIpv6 ?? lb.EnablePrefixForIpv6SourceNat,
            };
            changed = changed with { Nodes = AllocateNodes(call, config, changed, placements) };
            var next = Replace(config, lb, changed);
            ValidateChange(config, next);
            return (next, changed);
        });
        return w =>
        {
            LoadBalancerShape.WriteAvailabilityZones(w, updated);
            w.Value("IpAddressType", updated.IpAddressType).Value("EnablePrefixForIpv6SourceNat", updated.EnablePrefixForIpv6SourceNat);
        };
    }

    private static async Task<Action<AwsXmlWriter>?> SetSecurityGroupsAsync(ApiCall call)
    {
        var p = call.Parameters;
        var arn = p.Require("LoadBalancerArn");
        var groups = p.GetList("SecurityGroups") ?? throw ApiException.Constraint("securityGroups", null, "Member must not be null");
        var enforce = CheckOnOff(p, "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic");
        var updated = await call.Store.MutateAsync(config =>
        {
            var lb = Find(config, arn);
            var securityGroups = CheckSecurityGroups(lb.Type, groups);
            if (lb.Type == LoadBalancerType.Network && lb.SecurityGroups.IsDefaultOrEmpty)
                throw new ApiException(ErrorCodes.InvalidConfigurationRequest, "You cannot set security groups on a Network Load Balancer which was created without any security groups");
            if (enforce is not null && lb.Type != LoadBalancerType.Network)
                throw new ApiException(ErrorCodes.InvalidConfigurationRequest, "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic is supported only by Network Load Balancers");
            var changed = lb with
            {
                SecurityGroups = securityGroups,
                EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic = enforce ?? lb.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic,
            };
            return (Replace(config, lb, changed), changed);
        });
        return w => w.StringList("SecurityGroupIds", updated.SecurityGroups)
            .Value("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic", updated.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic);
    }

    private static async Task<Action<AwsXmlWriter>?> SetIpAddressTypeAsync(ApiCall call)
    {
        var arn = call.Parameters.Require("LoadBalancerArn");
        var requested = call.Parameters.Require("IpAddressType");
        var updated = await call.Store.MutateAsync(config =>
        {
            var lb = Find(config, arn);
            var changed = lb with { IpAddressType = CheckIpAddressType(lb.Type, requested) };
            return (Replace(config, lb, changed), changed);
        });
        return w => w.Value("IpAddressType", updated.IpAddressType);
    }

    private static async Task<Action<AwsXmlWriter>?> ModifyIpPoolsAsync(ApiCall call)
    {
        var p = call.Parameters;
        var arn = p.Require("LoadBalancerArn");
        var pool = p.GetStruct("IpamPools")?.Get("Ipv4IpamPoolId");
        var remove = p.GetList("RemoveIpamPools") ?? [];
        foreach (var r in remove)
            if (r != "ipv4") throw ApiException.Constraint("removeIpamPools", r, "Member must satisfy enum value set: [ipv4]");
        if (pool is not null && remove.Count > 0)
            throw ApiException.Validation("IpamPools and RemoveIpamPools cannot both name the ipv4 pool");
        var updated = await call.Store.MutateAsync(config =>
        {
            var lb = Find(config, arn);
            var changed = lb with { Ipv4IpamPoolId = remove.Count > 0 ? null : pool ?? lb.Ipv4IpamPoolId };
            return (Replace(config, lb, changed), changed);
        });
        return w => LoadBalancerShape.WriteIpamPools(w, updated);
    }

    private static Task<Action<AwsXmlWriter>?> DescribeCapacityReservationAsync(ApiCall call)
    {
        var lb = Find(call.Store.Current, call.Parameters.Require("LoadBalancerArn"));
        return Result(w => WriteCapacityReservation(w, lb));
    }

    private static async Task<Action<AwsXmlWriter>?> ModifyCapacityReservationAsync(ApiCall call)
    {
        var p = call.Parameters;
        var arn = p.Require("LoadBalancerArn");
        var units = p.GetStruct("MinimumLoadBalancerCapacity")?.GetInt("CapacityUnits");
        var reset = p.GetBool("ResetCapacityReservation") ?? false;
        if (units is not null && reset)
            throw ApiException.Validation("MinimumLoadBalancerCapacity and ResetCapacityReservation cannot be specified together");
        if (units is null && !reset)
            throw ApiException.Validation("Either MinimumLoadBalancerCapacity or ResetCapacityReservation must be specified");
        if (units is < 1)
            throw ApiException.Constraint("minimumLoadBalancerCapacity.capacityUnits", units.ToString(), "Member must have value greater than or equal to 1");
        var updated = await call.Store.MutateAsync(config =>
        {
            var lb = Find(config, arn);
            if (lb.Type == LoadBalancerType.Gateway)
                throw new ApiException("OperationNotPermitted", "Capacity reservations are not supported for Gateway Load Balancers");
            var current = lb.CapacityReservation ?? new CapacityReservation();
            var remaining = current.DecreaseRequestsRemaining;
            if (current.CapacityUnits is { } old && (reset || units < old))
            {
                if (remaining == 0)
                    throw new ApiException("CapacityDecreaseRequestLimitExceeded", "You have reached the limit of capacity decrease requests");
                remaining--;
            }
            var changed = lb with
            {
                CapacityReservation = new CapacityReservation
                {
                    CapacityUnits = reset ? null : units,
                    LastModifiedTime = DateTimeOffset.UtcNow,
                    DecreaseRequestsRemaining = remaining,
                },
            };
            return (Replace(config, lb, changed), changed);
        });
        return w => WriteCapacityReservation(w, updated);
    }

    private static void WriteCapacityReservation(AwsXmlWriter w, LoadBalancer lb)
    {
        var reservation = lb.CapacityReservation;
        w.Value("LastModifiedTime", reservation?.LastModifiedTime)
            .Value("DecreaseRequestsRemaining", reservation?.DecreaseRequestsRemaining ?? CapacityReservation.DailyDecreaseRequests);
        if (reservation?.CapacityUnits is not { } units)
        {
            w.List("CapacityReservationState", Array.Empty<LoadBalancerNode>(), (_, _) => { });
            return;
        }
        w.Struct("MinimumLoadBalancerCapacity", m => m.Value("CapacityUnits", units));
        // Nothing to provision: the reservation is in place at once, spread evenly over the zones.
        var zones = lb.Nodes.IsDefault ? [] : lb.Nodes;
        var perZone = zones.Length == 0 ? 0 : (double)units / zones.Length;
        w.List("CapacityReservationState", zones, (z, node) => z
            .Struct("State", s => s.Value("Code", "provisioned"))
            .Value("AvailabilityZone", node.ZoneName)
            .Value("EffectiveCapacityUnits", perZone.ToString("0.0##", System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>The load balancer with this ARN, or LoadBalancerNotFound.</summary>
    internal static LoadBalancer Find(ElbeConfiguration config, string arn) =>
        config.LoadBalancers.FirstOrDefault(lb => lb.Arn == arn) ?? throw new ApiException(ErrorCodes.LoadBalancerNotFound, NotFoundMessage);

    private static ElbeConfiguration Replace(ElbeConfiguration config, LoadBalancer old, LoadBalancer changed) =>
        config with { LoadBalancers = config.LoadBalancers.SetItem(config.LoadBalancers.IndexOf(old), changed) };

    /// <summary>
    /// Runs the model's whole-configuration checks and refuses the change if it adds a problem that was not
    /// there before: a problem elsewhere in the stored state is not this call's to report. Of the new problems,
    /// one on <paramref name="ownArns"/> (the resources the call changed) is reported first.
    /// </summary>
    internal static void ValidateChange(ElbeConfiguration before, ElbeConfiguration after, params string[] ownArns)
    {
        var old = ConfigurationValidator.Collect(before).Select(e => (e.Code, e.Message, e.ResourceArn)).ToHashSet();
        ModelValidationException? first = null;
        foreach (var error in ConfigurationValidator.Collect(after))
        {
            if (old.Contains((error.Code, error.Message, error.ResourceArn))) continue;
            if (ownArns.Length == 0 || (error.ResourceArn is { } arn && ownArns.Contains(arn))) throw error;
            first ??= error;
        }
        if (first is not null) throw first;
    }

    /// <summary>Subnets or SubnetMappings (exactly one of them); null when neither is given and they are optional.</summary>
    private static List<NodePlacement>? ReadPlacements(QueryParameters p, LoadBalancerType type, bool required)
    {
        var subnets = p.GetList("Subnets");
        var mappings = p.GetStructList("SubnetMappings");
        if (subnets is { Count: > 0 } && mappings is { Count: > 0 })
            throw ApiException.Validation("You can specify subnets or subnet mappings, but not both");
        var placements = new List<NodePlacement>();
        if (subnets is { Count: > 0 })
        {
            for (var i = 0; i < subnets.Count; i++) placements.Add(new NodePlacement(subnets[i], null, $"Subnets[{i}]"));
        }
        else if (mappings is { Count: > 0 })
        {
            for (var i = 0; i < mappings.Count; i++)
            {
                var m = mappings[i];
                var subnetId = m.Get("SubnetId") ?? throw ApiException.Validation("A subnet ID must be specified in each subnet mapping");
                var address = m.Get("PrivateIPv4Address");
                if (m.Get("AllocationId") is { } allocation)
                {
                    if (type != LoadBalancerType.Network)
                        throw new ApiException(ErrorCodes.InvalidConfigurationRequest, "Elastic IP addresses can be specified only for Network Load Balancers");
                    // Elbe has no Elastic IPs: every node address is a local one.
                    throw new ApiException("AllocationIdNotFound", $"The allocation ID '{allocation}' does not exist");
                }
                if (address is not null && type != LoadBalancerType.Network)
                    throw new ApiException(ErrorCodes.InvalidConfigurationRequest, "Private IPv4 addresses can be specified only for Network Load Balancers");
                placements.Add(new NodePlacement(subnetId, address, $"SubnetMappings[{i}]"));
            }
        }
        else if (required)
        {
            throw ApiException.Validation("Subnets or subnet mappings must be specified");
        }
        else
        {
            return null;
        }
        return placements;
    }

    /// <summary>
    /// Gives <paramref name="lb"/> a node per placement. Every other load balancer is allocated alongside it with
    /// the addresses it already holds, so the new nodes get addresses no one else is using.
    /// </summary>
    private static ImmutableArray<LoadBalancerNode> AllocateNodes(ApiCall call, ElbeConfiguration config, LoadBalancer lb, IReadOnlyList<NodePlacement> placements)
    {
        var zones = new HashSet<string>(StringComparer.Ordinal);
        foreach (var placement in placements)
        {
            var subnet = call.Subnets.FirstOrDefault(s => s.SubnetId == placement.SubnetId)
                ?? throw new ApiException("SubnetNotFound", $"The subnet ID '{placement.SubnetId}' is not valid");
            if (!zones.Add(subnet.ZoneName))
                throw new ApiException(ErrorCodes.InvalidConfigurationRequest, "A load balancer cannot be attached to multiple subnets in the same Availability Zone");
        }
        if (lb.Type == LoadBalancerType.Application && zones.Count < ConfigurationValidator.MinApplicationLoadBalancerZones)
            throw new ApiException(ErrorCodes.InvalidConfigurationRequest, "At least two subnets in two different Availability Zones must be specified");

        var requests = new List<NodeAllocationRequest>();
        foreach (var other in config.LoadBalancers)
        {
            if (other.Arn == lb.Arn || other.Nodes.IsDefaultOrEmpty) continue;
            requests.Add(new NodeAllocationRequest(other.Arn, [.. other.Nodes.Select(n => new NodePlacement(n.SubnetId, null, "Subnets"))]));
        }
        requests.Add(new NodeAllocationRequest(lb.Arn, placements));
        var allocation = new NodeAddressAllocator(call.Subnets, config).Allocate(requests);
        if (allocation.Errors.FirstOrDefault(e => e.ResourceArn == lb.Arn) is { } error)
            throw new ApiException(error.Code, error.Message);
        return allocation.NodesByLoadBalancerArn[lb.Arn];
    }

    private static string CheckIpAddressType(LoadBalancerType type, string value)
    {
        if (value is not ("ipv4" or "dualstack" or "dualstack-without-public-ipv4"))
            throw ApiException.Constraint("ipAddressType", value, "Member must satisfy enum value set: [ipv4, dualstack, dualstack-without-public-ipv4]");
        if (value == "dualstack-without-public-ipv4" && type != LoadBalancerType.Application)
            throw new ApiException(ErrorCodes.InvalidConfigurationRequest, "IP address type 'dualstack-without-public-ipv4' is supported only by Application Load Balancers");
        return value;
    }

    private static ImmutableArray<string> CheckSecurityGroups(LoadBalancerType type, List<string> groups)
    {
        if (type == LoadBalancerType.Gateway && groups.Count > 0)
            throw new ApiException(ErrorCodes.InvalidConfigurationRequest, "Security groups are not supported for load balancers with type 'gateway'");
        foreach (var g in groups)
            if (!g.StartsWith("sg-", StringComparison.Ordinal) || g.Length < 4 || !g.AsSpan(3).ToString().All(char.IsAsciiHexDigit))
                throw new ApiException("InvalidSecurityGroup", $"Security group '{g}' does not exist");
        return [.. groups.Distinct(StringComparer.Ordinal)];
    }

    private static string? CheckOnOff(QueryParameters p, string member)
    {
        var value = p.Get(member);
        if (value is not (null or "on" or "off"))
            throw ApiException.Constraint(p.MemberName(member), value, "Member must satisfy enum value set: [on, off]");
        return value;
    }

    private static Task<Action<AwsXmlWriter>?> Result(Action<AwsXmlWriter> write) => Task.FromResult<Action<AwsXmlWriter>?>(write);
}
