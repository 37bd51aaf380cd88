using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Elbe.Api.Tests.Infrastructure;
using static Elbe.Api.Tests.LoadBalancers.LoadBalancerCalls;

namespace Elbe.Api.Tests.LoadBalancers;

/// <summary>CreateLoadBalancer, DescribeLoadBalancers, DeleteLoadBalancer and the Set*/attribute calls over signed HTTP.</summary>
public sealed class LoadBalancerApiTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private SignedApiClient Client => server.Client;

    [Fact]
    public async Task An_application_load_balancer_is_described_with_every_member_AWS_returns()
    {
        var name = UniqueName.Next("alb");
        var created = (await CreateAsync(Client, name, more: p => p.List("SecurityGroups", "sg-0123456789abcdef0"))).AssertSuccess("CreateLoadBalancer");
        var lb = Assert.Single(created.Members("LoadBalancers"));

        var arn = ApiResponse.Child(lb, "LoadBalancerArn")!;
        var match = Regex.Match(arn, $@"^arn:aws:elasticloadbalancing:us-east-1:\d{{12}}:loadbalancer/app/{name}/([0-9a-f]{{16}})$");
        Assert.True(match.Success, arn);
        var id = match.Groups[1].Value;
        var dec = (Convert.ToUInt64(id, 16) % 10_000_000_000UL).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"{name}-{dec}.us-east-1.elb.amazonaws.com", ApiResponse.Child(lb, "DNSName"));
        Assert.Equal("Z35SXDOTRQ7X7K", ApiResponse.Child(lb, "CanonicalHostedZoneId"));
        Assert.Equal(name, ApiResponse.Child(lb, "LoadBalancerName"));
        Assert.Equal("internet-facing", ApiResponse.Child(lb, "Scheme"));
        Assert.Equal("vpc-00000000000000000", ApiResponse.Child(lb, "VpcId"));
        Assert.Equal("active", ApiResponse.Child(Child(lb, "State"), "Code"));
        Assert.Equal("application", ApiResponse.Child(lb, "Type"));
        Assert.Equal("ipv4", ApiResponse.Child(lb, "IpAddressType"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", ApiResponse.Child(lb, "CreatedTime"));
        Assert.Equal(["sg-0123456789abcdef0"], ApiResponse.Members(Child(lb, "SecurityGroups")).Select(m => m.Value));

        AssertZonesCoverSubnets(lb, server.Harness.Subnets.Select(s => s.SubnetId).ToArray());

        var described = (await Client.CallAsync("DescribeLoadBalancers", new ApiRequestParameters().List("LoadBalancerArns", arn))).AssertSuccess();
        Assert.Equal(lb.ToString(), Assert.Single(described.Members("LoadBalancers")).ToString());
        Assert.Null(described.Element("NextMarker"));
    }

    [Fact]
    public async Task An_internal_load_balancer_on_two_subnets_has_an_internal_dns_name_and_two_zones()
    {
        var name = UniqueName.Next("int");
        var response = (await CreateAsync(Client, name, more: p => p.Add("Scheme", "internal").List("Subnets", ApiSubnets.SubnetA, ApiSubnets.SubnetB))).AssertSuccess();

        Assert.Matches($@"^internal-{name}-\d+\.us-east-1\.elb\.amazonaws\.com$", response.Value("DNSName"));
        Assert.Equal("internal", response.Value("Scheme"));
        AssertZonesCoverSubnets(Assert.Single(response.Members("LoadBalancers")), [ApiSubnets.SubnetA, ApiSubnets.SubnetB]);
    }

    [Fact]
    public async Task A_network_load_balancer_has_the_hex_dns_name_its_hosted_zone_and_a_pinned_address()
    {
        var name = UniqueName.Next("nlb");
        var subnetA = server.Harness.Subnets[0];
        var pinned = IPNetwork.Parse(subnetA.Cidr).BaseAddress.GetAddressBytes();
        pinned[3] = 200;
        var pinnedAddress = new IPAddress(pinned).ToString();
        var response = (await CreateAsync(Client, name, "network", p => p.StructList("SubnetMappings",
            m => m.Add("SubnetId", ApiSubnets.SubnetA).Add("PrivateIPv4Address", pinnedAddress),
            m => m.Add("SubnetId", ApiSubnets.SubnetB)))).AssertSuccess();
        var lb = Assert.Single(response.Members("LoadBalancers"));

        var arn = ApiResponse.Child(lb, "LoadBalancerArn")!;
        var id = Regex.Match(arn, $@"loadbalancer/net/{name}/([0-9a-f]{{16}})$").Groups[1].Value;
        Assert.NotEmpty(id);
        Assert.Equal($"{name}-{id}.elb.us-east-1.amazonaws.com", ApiResponse.Child(lb, "DNSName"));
        Assert.Equal("Z26RNL4JYFTOTI", ApiResponse.Child(lb, "CanonicalHostedZoneId"));
        Assert.Equal("network", ApiResponse.Child(lb, "Type"));
        Assert.Null(Child(lb, "SecurityGroups"));
        var zoneA = ApiResponse.Members(Child(lb, "AvailabilityZones")).Single(z => ApiResponse.Child(z, "SubnetId") == ApiSubnets.SubnetA);
        Assert.Equal(pinnedAddress, ApiResponse.Child(zoneA, "IpAddress"));
    }

    [Fact]
    public async Task A_gateway_load_balancer_has_no_scheme_and_a_gwy_arn()
    {
        var name = UniqueName.Next("gwlb");
        var response = (await CreateAsync(Client, name, "gateway")).AssertSuccess();
        var lb = Assert.Single(response.Members("LoadBalancers"));

        Assert.Matches($@":loadbalancer/gwy/{name}/[0-9a-f]{{16}}$", ApiResponse.Child(lb, "LoadBalancerArn"));
        Assert.Matches($@"^{name}-[0-9a-f]{{16}}\.elb\.us-east-1\.amazonaws\.com$", ApiResponse.Child(lb, "DNSName"));
        Assert.Equal("gateway", ApiResponse.Child(lb, "Type"));
        Assert.Null(Child(lb, "Scheme"));
        Assert.Null(Child(lb, "SecurityGroups"));

        var attributes = Attributes((await Client.CallAsync("DescribeLoadBalancerAttributes", new ApiRequestParameters().Add("LoadBalancerArn", ApiResponse.Child(lb, "LoadBalancerArn")!))).AssertSuccess());
        Assert.Equal(new Dictionary<string, string> { ["deletion_protection.enabled"] = "false", ["load_balancing.cross_zone.enabled"] = "false" }, attributes);
    }

    [Fact]
    public async Task Creating_the_same_load_balancer_twice_returns_it_and_different_settings_are_a_duplicate()
    {
        var name = UniqueName.Next("idem");
        var first = await CreateArnAsync(Client, name);
        var again = await CreateArnAsync(Client, name);
        Assert.Equal(first, again);

        (await CreateAsync(Client, name, "network")).AssertError("DuplicateLoadBalancerName");
        (await CreateAsync(Client, name, more: p => p.Add("Scheme", "internal"))).AssertError("DuplicateLoadBalancerName");
    }

    [Fact]
    public async Task Bad_create_requests_are_refused_with_AWS_codes()
    {
        (await CreateAsync(Client, "-starts-with-hyphen")).AssertError("ValidationError");
        (await CreateAsync(Client, new string('a', 33))).AssertError("ValidationError");
        (await CreateAsync(Client, "internal-name")).AssertError("ValidationError");
        (await CreateAsync(Client, UniqueName.Next(), "classic")).AssertError("ValidationError");
        (await CreateAsync(Client, UniqueName.Next(), more: p => p.Add("Scheme", "public"))).AssertError("ValidationError");
        (await CreateAsync(Client, UniqueName.Next(), more: p => p.List("Subnets", ApiSubnets.SubnetA))).AssertError("InvalidConfigurationRequest");
        (await CreateAsync(Client, UniqueName.Next(), more: p => p.List("Subnets", ApiSubnets.SubnetA, "subnet-0123456789abcdef0"))).AssertError("SubnetNotFound");
        (await CreateAsync(Client, UniqueName.Next(), more: p => p.List("Subnets", ApiSubnets.SubnetA, ApiSubnets.SubnetB)
            .StructList("SubnetMappings", m => m.Add("SubnetId", ApiSubnets.SubnetC)))).AssertError("ValidationError");
        (await CreateAsync(Client, UniqueName.Next(), more: p => p.List("SecurityGroups", "not-a-group"))).AssertError("InvalidSecurityGroup");
        (await CreateAsync(Client, UniqueName.Next(), "gateway", p => p.List("SecurityGroups", "sg-0123456789abcdef0"))).AssertError("InvalidConfigurationRequest");
        (await CreateAsync(Client, UniqueName.Next(), more: p => p.Tags(("k", "1"), ("k", "2")))).AssertError("DuplicateTagKeys");
        (await Client.CallAsync("CreateLoadBalancer")).AssertError("ValidationError");
    }

    [Fact]
    public async Task Describe_filters_by_name_and_arn_pages_and_reports_missing_load_balancers()
    {
        var names = new[] { UniqueName.Next("page"), UniqueName.Next("page"), UniqueName.Next("page") };
        var arns = new List<string>();
        foreach (var name in names) arns.Add(await CreateArnAsync(Client, name, "gateway"));

        var first = (await Client.CallAsync("DescribeLoadBalancers", new ApiRequestParameters().List("Names", names).Add("PageSize", 2))).AssertSuccess();
        Assert.Equal(2, first.Members("LoadBalancers").Count);
        var marker = first.Value("NextMarker");
        Assert.False(string.IsNullOrEmpty(marker));
        var second = (await Client.CallAsync("DescribeLoadBalancers", new ApiRequestParameters().List("Names", names).Add("PageSize", 2).Add("Marker", marker!))).AssertSuccess();
        Assert.Single(second.Members("LoadBalancers"));
        Assert.Null(second.Element("NextMarker"));
        var seen = first.Members("LoadBalancers").Concat(second.Members("LoadBalancers")).Select(m => ApiResponse.Child(m, "LoadBalancerName")).ToHashSet();
        Assert.True(seen.SetEquals(names));

        var byArn = (await Client.CallAsync("DescribeLoadBalancers", new ApiRequestParameters().List("LoadBalancerArns", arns[1]))).AssertSuccess();
        Assert.Equal(names[1], byArn.Value("LoadBalancerName"));

        (await Client.CallAsync("DescribeLoadBalancers", new ApiRequestParameters().List("Names", names[0], "no-such-lb"))).AssertError("LoadBalancerNotFound");
        var missingArn = arns[0][..^16] + "0000000000000000";
        var notFound = (await Client.CallAsync("DescribeLoadBalancers", new ApiRequestParameters().List("LoadBalancerArns", missingArn))).AssertError("LoadBalancerNotFound");
        Assert.Equal("One or more load balancers not found", notFound.ErrorMessage);
        (await Client.CallAsync("DescribeLoadBalancers", new ApiRequestParameters().List("LoadBalancerArns", Enumerable.Repeat(arns[0], 21)))).AssertError("ValidationError");
        (await Client.CallAsync("DescribeLoadBalancers", new ApiRequestParameters().Add("PageSize", 401))).AssertError("ValidationError");
    }

    [Fact]
    public async Task Delete_removes_the_load_balancer_and_its_listeners_and_is_idempotent()
    {
        var arn = await CreateArnAsync(Client, UniqueName.Next("del"));
        var listenerArn = (await CreateListenerAsync(Client, arn, "HTTP", 8080)).AssertSuccess().Value("ListenerArn")!;

        (await Client.CallAsync("DeleteLoadBalancer", new ApiRequestParameters().Add("LoadBalancerArn", arn))).AssertSuccess("DeleteLoadBalancer");

        (await Client.CallAsync("DescribeLoadBalancers", new ApiRequestParameters().List("LoadBalancerArns", arn))).AssertError("LoadBalancerNotFound");
        (await Client.CallAsync("DescribeListeners", new ApiRequestParameters().List("ListenerArns", listenerArn))).AssertError("ListenerNotFound");
        (await Client.CallAsync("DeleteLoadBalancer", new ApiRequestParameters().Add("LoadBalancerArn", arn))).AssertSuccess("DeleteLoadBalancer");
    }

    [Fact]
    public async Task Deletion_protection_refuses_the_delete_until_it_is_turned_off()
    {
        var arn = await CreateArnAsync(Client, UniqueName.Next("prot"), "network");
        (await Client.CallAsync("ModifyLoadBalancerAttributes", new ApiRequestParameters().Add("LoadBalancerArn", arn)
            .AttributeList(("deletion_protection.enabled", "true")))).AssertSuccess();

        (await Client.CallAsync("DeleteLoadBalancer", new ApiRequestParameters().Add("LoadBalancerArn", arn))).AssertError("OperationNotPermitted");

        (await Client.CallAsync("ModifyLoadBalancerAttributes", new ApiRequestParameters().Add("LoadBalancerArn", arn)
            .AttributeList(("deletion_protection.enabled", "false")))).AssertSuccess();
        (await Client.CallAsync("DeleteLoadBalancer", new ApiRequestParameters().Add("LoadBalancerArn", arn))).AssertSuccess();
    }

    [Fact]
    public async Task Application_attributes_list_every_key_change_only_what_is_sent_and_refuse_bad_values()
    {
        var arn = await CreateArnAsync(Client, UniqueName.Next("attr"));
        var defaults = Attributes((await Client.CallAsync("DescribeLoadBalancerAttributes", new ApiRequestParameters().Add("LoadBalancerArn", arn))).AssertSuccess("DescribeLoadBalancerAttributes"));
        Assert.Equal(23, defaults.Count);
        Assert.Equal("60", defaults["idle_timeout.timeout_seconds"]);
        Assert.Equal("true", defaults["load_balancing.cross_zone.enabled"]);
        Assert.Equal("defensive", defaults["routing.http.desync_mitigation_mode"]);
        Assert.Equal("append", defaults["routing.http.xff_header_processing.mode"]);
        Assert.Equal("", defaults["access_logs.s3.bucket"]);

        var modified = Attributes((await Client.CallAsync("ModifyLoadBalancerAttributes", new ApiRequestParameters().Add("LoadBalancerArn", arn)
            .AttributeList(("idle_timeout.timeout_seconds", "120"), ("routing.http2.enabled", "false")))).AssertSuccess("ModifyLoadBalancerAttributes"));
        Assert.Equal(23, modified.Count);
        Assert.Equal("120", modified["idle_timeout.timeout_seconds"]);
        Assert.Equal("false", modified["routing.http2.enabled"]);
        Assert.Equal("3600", modified["client_keep_alive.seconds"]);

        async Task Refused(string key, string value) =>
            (await Client.CallAsync("ModifyLoadBalancerAttributes", new ApiRequestParameters().Add("LoadBalancerArn", arn).AttributeList((key, value))))
                .AssertError("InvalidConfigurationRequest");
        await Refused("idle_timeout.timeout_seconds", "0");
        await Refused("idle_timeout.timeout_seconds", "4001");
        await Refused("routing.http2.enabled", "yes");
        await Refused("load_balancing.cross_zone.enabled", "false");
        await Refused("dns_record.client_routing_policy", "any_availability_zone");
        await Refused("no.such.key", "1");
        await Refused("access_logs.s3.enabled", "true");

        var after = Attributes((await Client.CallAsync("DescribeLoadBalancerAttributes", new ApiRequestParameters().Add("LoadBalancerArn", arn))).AssertSuccess());
        Assert.Equal("120", after["idle_timeout.timeout_seconds"]);
        (await Client.CallAsync("DescribeLoadBalancerAttributes", new ApiRequestParameters().Add("LoadBalancerArn", arn[..^16] + "0000000000000000"))).AssertError("LoadBalancerNotFound");
    }

    [Fact]
    public async Task Network_attributes_have_their_own_keys_and_defaults()
    {
        var arn = await CreateArnAsync(Client, UniqueName.Next("nattr"), "network", p => p.Add("Scheme", "internal"));
        var attributes = Attributes((await Client.CallAsync("DescribeLoadBalancerAttributes", new ApiRequestParameters().Add("LoadBalancerArn", arn))).AssertSuccess());

        Assert.Equal(
            ["access_logs.s3.bucket", "access_logs.s3.enabled", "access_logs.s3.prefix", "deletion_protection.enabled", "dns_record.client_routing_policy",
             "ipv6.deny_all_igw_traffic", "load_balancing.cross_zone.enabled", "secondary_ips.auto_assigned.per_subnet", "zonal_shift.config.enabled"],
            attributes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("false", attributes["load_balancing.cross_zone.enabled"]);
        Assert.Equal("true", attributes["ipv6.deny_all_igw_traffic"]);
        Assert.Equal("any_availability_zone", attributes["dns_record.client_routing_policy"]);

        var modified = Attributes((await Client.CallAsync("ModifyLoadBalancerAttributes", new ApiRequestParameters().Add("LoadBalancerArn", arn)
            .AttributeList(("load_balancing.cross_zone.enabled", "true"), ("secondary_ips.auto_assigned.per_subnet", "2")))).AssertSuccess());
        Assert.Equal("true", modified["load_balancing.cross_zone.enabled"]);
        Assert.Equal("2", modified["secondary_ips.auto_assigned.per_subnet"]);

        (await Client.CallAsync("ModifyLoadBalancerAttributes", new ApiRequestParameters().Add("LoadBalancerArn", arn)
            .AttributeList(("secondary_ips.auto_assigned.per_subnet", "1")))).AssertError("InvalidConfigurationRequest");
        (await Client.CallAsync("ModifyLoadBalancerAttributes", new ApiRequestParameters().Add("LoadBalancerArn", arn)
            .AttributeList(("idle_timeout.timeout_seconds", "60")))).AssertError("InvalidConfigurationRequest");
    }

    [Fact]
    public async Task Set_subnets_keeps_the_addresses_of_subnets_that_stay()
    {
        var arn = await CreateArnAsync(Client, UniqueName.Next("subn"));
        var before = (await Client.CallAsync("DescribeLoadBalancers", new ApiRequestParameters().List("LoadBalancerArns", arn))).AssertSuccess();
        var addressB = AddressIn(before, ApiSubnets.SubnetB);

        var set = (await Client.CallAsync("SetSubnets", new ApiRequestParameters().Add("LoadBalancerArn", arn).List("Subnets", ApiSubnets.SubnetB, ApiSubnets.SubnetC))).AssertSuccess("SetSubnets");
        Assert.Equal(2, set.Members("AvailabilityZones").Count);
        Assert.Equal(addressB, AddressIn(set, ApiSubnets.SubnetB));
        Assert.Equal("ipv4", set.Value("IpAddressType"));

        var after = (await Client.CallAsync("DescribeLoadBalancers", new ApiRequestParameters().List("LoadBalancerArns", arn))).AssertSuccess();
        Assert.Equal([ApiSubnets.SubnetB, ApiSubnets.SubnetC], after.Elements("SubnetId").Select(e => e.Value).Order());

        (await Client.CallAsync("SetSubnets", new ApiRequestParameters().Add("LoadBalancerArn", arn).List("Subnets", ApiSubnets.SubnetB))).AssertError("InvalidConfigurationRequest");
        (await Client.CallAsync("SetSubnets", new ApiRequestParameters().Add("LoadBalancerArn", arn).List("Subnets", "subnet-ffffffffffffffff0", ApiSubnets.SubnetB))).AssertError("SubnetNotFound");
    }

    [Fact]
    public async Task Security_groups_ip_address_type_and_ipam_pools_are_replaced_and_echoed()
    {
        var arn = await CreateArnAsync(Client, UniqueName.Next("sets"));

        var groups = (await Client.CallAsync("SetSecurityGroups", new ApiRequestParameters().Add("LoadBalancerArn", arn).List("SecurityGroups", "sg-0000000000000000a", "sg-0000000000000000b"))).AssertSuccess("SetSecurityGroups");
        Assert.Equal(["sg-0000000000000000a", "sg-0000000000000000b"], ApiResponse.Members(groups.Element("SecurityGroupIds")).Select(m => m.Value));
        var type = (await Client.CallAsync("SetIpAddressType", new ApiRequestParameters().Add("LoadBalancerArn", arn).Add("IpAddressType", "dualstack"))).AssertSuccess("SetIpAddressType");
        Assert.Equal("dualstack", type.Value("IpAddressType"));
        var pools = (await Client.CallAsync("ModifyIpPools", new ApiRequestParameters().Add("LoadBalancerArn", arn).Struct("IpamPools", i => i.Add("Ipv4IpamPoolId", "ipam-pool-0123456789abcdef0")))).AssertSuccess("ModifyIpPools");
        Assert.Equal("ipam-pool-0123456789abcdef0", pools.Value("Ipv4IpamPoolId"));

        var described = (await Client.CallAsync("DescribeLoadBalancers", new ApiRequestParameters().List("LoadBalancerArns", arn))).AssertSuccess();
        Assert.Equal(["sg-0000000000000000a", "sg-0000000000000000b"], ApiResponse.Members(described.Element("SecurityGroups")).Select(m => m.Value));
        Assert.Equal("dualstack", described.Value("IpAddressType"));
        Assert.Equal("ipam-pool-0123456789abcdef0", described.Value("Ipv4IpamPoolId"));

        var removed = (await Client.CallAsync("ModifyIpPools", new ApiRequestParameters().Add("LoadBalancerArn", arn).List("RemoveIpamPools", "ipv4"))).AssertSuccess();
        Assert.Null(removed.Element("IpamPools"));
        (await Client.CallAsync("SetIpAddressType", new ApiRequestParameters().Add("LoadBalancerArn", arn).Add("IpAddressType", "ipv6"))).AssertError("ValidationError");

        var nlb = await CreateArnAsync(Client, UniqueName.Next("nosg"), "network");
        (await Client.CallAsync("SetSecurityGroups", new ApiRequestParameters().Add("LoadBalancerArn", nlb).List("SecurityGroups", "sg-0000000000000000a"))).AssertError("InvalidConfigurationRequest");
        (await Client.CallAsync("SetIpAddressType", new ApiRequestParameters().Add("LoadBalancerArn", nlb).Add("IpAddressType", "dualstack-without-public-ipv4"))).AssertError("InvalidConfigurationRequest");
    }

    [Fact]
    public async Task A_capacity_reservation_is_stored_and_echoed_per_zone()
    {
        var arn = await CreateArnAsync(Client, UniqueName.Next("cap"));
        var none = (await Client.CallAsync("DescribeCapacityReservation", new ApiRequestParameters().Add("LoadBalancerArn", arn))).AssertSuccess("DescribeCapacityReservation");
        Assert.Null(none.Element("MinimumLoadBalancerCapacity"));

        var set = (await Client.CallAsync("ModifyCapacityReservation", new ApiRequestParameters().Add("LoadBalancerArn", arn)
            .Struct("MinimumLoadBalancerCapacity", m => m.Add("CapacityUnits", 300)))).AssertSuccess("ModifyCapacityReservation");
        Assert.Equal("300", set.Value("CapacityUnits"));
        var zones = set.Members("CapacityReservationState");
        Assert.Equal(3, zones.Count);
        Assert.All(zones, z => Assert.Equal("provisioned", ApiResponse.Child(z, "Code")));
        Assert.All(zones, z => Assert.Equal("100.0", ApiResponse.Child(z, "EffectiveCapacityUnits")));

        var described = (await Client.CallAsync("DescribeCapacityReservation", new ApiRequestParameters().Add("LoadBalancerArn", arn))).AssertSuccess();
        Assert.Equal("300", described.Value("CapacityUnits"));
        Assert.NotNull(described.Value("LastModifiedTime"));

        var reset = (await Client.CallAsync("ModifyCapacityReservation", new ApiRequestParameters().Add("LoadBalancerArn", arn).Add("ResetCapacityReservation", true))).AssertSuccess();
        Assert.Null(reset.Element("MinimumLoadBalancerCapacity"));
        Assert.Equal("3", reset.Value("DecreaseRequestsRemaining"));
        (await Client.CallAsync("ModifyCapacityReservation", new ApiRequestParameters().Add("LoadBalancerArn", arn))).AssertError("ValidationError");
    }

    [Fact]
    public async Task The_fifty_first_application_load_balancer_is_too_many()
    {
        await using var harness = await ApiHarness.StartAsync();
        for (var i = 0; i < 50; i++) await CreateArnAsync(harness.Client, $"quota-{i}");

        (await CreateAsync(harness.Client, "quota-50")).AssertError("TooManyLoadBalancers");
        // Other types count separately, and an identical create is still answered.
        await CreateArnAsync(harness.Client, "quota-nlb", "network");
        await CreateArnAsync(harness.Client, "quota-0");
    }

    [Fact]
    public async Task Load_balancers_and_their_attributes_survive_a_restart()
    {
        await using var harness = await ApiHarness.StartAsync();
        var arn = await CreateArnAsync(harness.Client, "restart-alb", more: p => p.Tags(("team", "edge")));
        var nlb = await CreateArnAsync(harness.Client, "restart-nlb", "network");
        (await harness.Client.CallAsync("ModifyLoadBalancerAttributes", new ApiRequestParameters().Add("LoadBalancerArn", arn)
            .AttributeList(("idle_timeout.timeout_seconds", "300")))).AssertSuccess();
        (await harness.Client.CallAsync("ModifyCapacityReservation", new ApiRequestParameters().Add("LoadBalancerArn", nlb)
            .Struct("MinimumLoadBalancerCapacity", m => m.Add("CapacityUnits", 3000)))).AssertSuccess();
        var before = (await harness.Client.CallAsync("DescribeLoadBalancers")).AssertSuccess();

        await harness.RestartAsync();

        var after = (await harness.Client.CallAsync("DescribeLoadBalancers")).AssertSuccess();
        Assert.Equal(before.Element("LoadBalancers")!.ToString(), after.Element("LoadBalancers")!.ToString());
        var attributes = Attributes((await harness.Client.CallAsync("DescribeLoadBalancerAttributes", new ApiRequestParameters().Add("LoadBalancerArn", arn))).AssertSuccess());
        Assert.Equal("300", attributes["idle_timeout.timeout_seconds"]);
        Assert.Equal("3000", (await harness.Client.CallAsync("DescribeCapacityReservation", new ApiRequestParameters().Add("LoadBalancerArn", nlb))).AssertSuccess().Value("CapacityUnits"));
        Assert.Equal(arn, await CreateArnAsync(harness.Client, "restart-alb"));
    }

    private void AssertZonesCoverSubnets(XElement lb, string[] subnetIds)
    {
        var zones = ApiResponse.Members(Child(lb, "AvailabilityZones"));
        Assert.Equal(subnetIds.Order(), zones.Select(z => ApiResponse.Child(z, "SubnetId")!).Order());
        foreach (var zone in zones)
        {
            var subnet = server.Harness.Subnets.Single(s => s.SubnetId == ApiResponse.Child(zone, "SubnetId"));
            Assert.Equal(subnet.ZoneName, ApiResponse.Child(zone, "ZoneName"));
            var address = ApiResponse.Members(Child(zone, "LoadBalancerAddresses")).Single();
            Assert.True(IPNetwork.Parse(subnet.Cidr).Contains(IPAddress.Parse(ApiResponse.Child(address, "IpAddress")!)), address.ToString());
        }
    }

    private static string? AddressIn(ApiResponse response, string subnetId) =>
        response.Elements("AvailabilityZones").SelectMany(ApiResponse.Members)
            .Where(z => ApiResponse.Child(z, "SubnetId") == subnetId).Select(z => ApiResponse.Child(z, "IpAddress")).Single();

    private static XElement? Child(XElement parent, string localName) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName);
}
