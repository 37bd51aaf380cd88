using System.Collections.Immutable;
using System.Globalization;
using Elbe.ControlPlane.Api.Shapes;
using Elbe.Model.Identifiers;
using Elbe.Model.Resources;
using Elbe.Model.Validation;

namespace Elbe.ControlPlane.Api.Actions;

/// <summary>CreateTargetGroup, DescribeTargetGroups, ModifyTargetGroup, DeleteTargetGroup and the target group attribute calls.</summary>
public static class TargetGroupActions
{
    public const int MaxTargetGroups = 3000;
    public const int MaxGeneveTargetGroups = 100;

    private static readonly string[] Protocols = ["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE", "QUIC", "TCP_QUIC"];
    private static readonly string[] HealthCheckProtocols = ["HTTP", "HTTPS", "TCP"];
    private static readonly string[] TargetTypes = ["instance", "ip", "lambda", "alb"];
    private static readonly string[] ProtocolVersions = ["HTTP1", "HTTP2", "GRPC"];
    private static readonly string[] IpAddressTypes = ["ipv4", "ipv6"];

    public static void Register(ApiActionTable table) => table
        .AddElbv2("CreateTargetGroup", CreateTargetGroupAsync)
        .AddElbv2("DescribeTargetGroups", DescribeTargetGroupsAsync)
        .AddElbv2("ModifyTargetGroup", ModifyTargetGroupAsync)
        .AddElbv2("DeleteTargetGroup", DeleteTargetGroupAsync)
        .AddElbv2("DescribeTargetGroupAttributes", DescribeTargetGroupAttributesAsync)
        .AddElbv2("ModifyTargetGroupAttributes", ModifyTargetGroupAttributesAsync);

    private static async Task<Action<AwsXmlWriter>?> CreateTargetGroupAsync(ApiCall call)
    {
        var p = call.Parameters;
        var name = p.Require("Name");
        if (ResourceNameRules.CheckTargetGroupName(name) is { } nameWhy) throw ApiException.Validation(nameWhy);

        var targetType = Enum(p, "TargetType", TargetTypes) ?? "instance";
        var lambda = targetType == "lambda";
        var protocol = Enum(p, "Protocol", Protocols);
        var port = p.GetInt("Port");
        var vpcId = p.Get("VpcId");
        if (lambda)
        {
            if (protocol is not null || port is not null || vpcId is not null)
                throw ApiException.Validation("Protocol, port, and VPC ID cannot be specified for target groups whose target type is 'lambda'");
        }
        else
        {
            if (protocol is null) throw ApiException.Validation("A protocol must be specified for target groups whose target type is not 'lambda'");
            if (port is null) throw ApiException.Validation("A port must be specified for target groups whose target type is not 'lambda'");
            if (vpcId is null) throw ApiException.Validation("A VPC ID must be specified for target groups whose target type is not 'lambda'");
            if (!vpcId.StartsWith("vpc-", StringComparison.Ordinal)) throw ApiException.Validation($"The VPC ID '{vpcId}' is not found");
            if (port is < 1 or > 65535) throw ApiException.Constraint("port", port.Value.ToString(CultureInfo.InvariantCulture), "Member must have value between 1 and 65535");
        }

        var version = Enum(p, "ProtocolVersion", ProtocolVersions);
        if (version is not null && protocol is not ("HTTP" or "HTTPS"))
            throw ApiException.Validation("A protocol version can be specified only for HTTP and HTTPS target groups");
        version ??= protocol is "HTTP" or "HTTPS" ? "HTTP1" : null;

        var healthProtocol = Enum(p, "HealthCheckProtocol", Protocols);
        if (healthProtocol is not null && Array.IndexOf(HealthCheckProtocols, healthProtocol) < 0)
            throw ApiException.Validation($"Health check protocol '{healthProtocol}' is not supported");
        var defaults = HealthCheckDefaults.For(protocol, targetType, version, healthProtocol);
        var health = ReadHealthCheck(p, defaults, targetType, version);

        var candidate = new TargetGroup
        {
            Arn = "",
            Name = name,
            Protocol = protocol,
            Port = port,
            VpcId = vpcId ?? Zones.DefaultVpcId,
            TargetType = targetType,
            ProtocolVersion = version,
            IpAddressType = Enum(p, "IpAddressType", IpAddressTypes) ?? "ipv4",
            HealthCheck = health,
            TargetControlPort = p.GetInt("TargetControlPort"),
        };
        var tags = TagShape.ReadList(p) ?? [];

        var created = await call.Store.MutateAsync(config =>
        {
            var existing = config.TargetGroups.FirstOrDefault(tg => string.Equals(tg.Name, name, StringComparison.OrdinalIgnoreCase));
            if (existing is not null)
            {
                if (SameSettings(existing, candidate)) return (config, existing);
                throw new ApiException(ErrorCodes.DuplicateTargetGroupName, "A target group with the same name '" + name + "' exists, but with different settings");
            }
            if (config.TargetGroups.Length >= MaxTargetGroups)
                throw new ApiException(ErrorCodes.TooManyTargetGroups, $"You've reached the limit on the number of target groups for your AWS account ({MaxTargetGroups})");
            if (protocol == "GENEVE" && config.TargetGroups.Count(tg => tg.Protocol == "GENEVE") >= MaxGeneveTargetGroups)
                throw new ApiException(ErrorCodes.TooManyTargetGroups, $"You've reached the limit on the number of GENEVE target groups for your AWS account ({MaxGeneveTargetGroups})");

            var group = candidate with { Arn = Arns.TargetGroup(call.Region, call.AccountId, name, Arns.NewId()), Tags = tags };
            TargetGroupValidator.Validate(group);
            return (config with { TargetGroups = config.TargetGroups.Add(group) }, group);
        });
        var usage = TargetGroupUsage.Of(call.Store.Current);
        return w => w.List("TargetGroups", [created], (m, tg) => TargetGroupShape.Write(m, tg, usage.LoadBalancerArns(tg.Arn)));
    }

    private static Task<Action<AwsXmlWriter>?> DescribeTargetGroupsAsync(ApiCall call)
    {
        var p = call.Parameters;
        var config = call.Store.Current;
        var loadBalancerArn = p.Get("LoadBalancerArn");
        var arns = p.GetList("TargetGroupArns");
        var names = p.GetList("Names");
        if ((loadBalancerArn is not null ? 1 : 0) + (arns is not null ? 1 : 0) + (names is not null ? 1 : 0) > 1)
            throw ApiException.Validation("Target group names, target group ARNs, and a load balancer ARN cannot be specified at the same time");

        var usage = TargetGroupUsage.Of(config);
        List<TargetGroup> groups;
        if (loadBalancerArn is not null)
        {
            LoadBalancerActions.Find(config, loadBalancerArn);
            groups = [.. config.TargetGroups.Where(tg => usage.LoadBalancerArns(tg.Arn).Contains(loadBalancerArn))];
        }
        else if (arns is not null)
        {
            groups = [];
            foreach (var arn in arns.Distinct(StringComparer.Ordinal))
                groups.Add(config.TargetGroups.FirstOrDefault(tg => tg.Arn == arn) ?? throw NotFound(arn));
        }
        else if (names is not null)
        {
            groups = [];
            foreach (var n in names.Distinct(StringComparer.Ordinal))
                groups.Add(config.TargetGroups.FirstOrDefault(tg => tg.Name == n) ?? throw new ApiException(ErrorCodes.TargetGroupNotFound, $"One or more target groups not found"));
        }
        else
        {
            groups = [.. config.TargetGroups];
        }

        var (page, next) = Pagination.Paginate(groups, p);
        return Task.FromResult<Action<AwsXmlWriter>?>(w =>
        {
            w.List("TargetGroups", page, (m, tg) => TargetGroupShape.Write(m, tg, usage.LoadBalancerArns(tg.Arn)));
            w.Value("NextMarker", next);
        });
    }

    private static async Task<Action<AwsXmlWriter>?> ModifyTargetGroupAsync(ApiCall call)
    {
        var p = call.Parameters;
        var arn = p.Require("TargetGroupArn");
        var healthProtocol = Enum(p, "HealthCheckProtocol", Protocols);
        if (healthProtocol is not null && Array.IndexOf(HealthCheckProtocols, healthProtocol) < 0)
            throw ApiException.Validation($"Health check protocol '{healthProtocol}' is not supported");

        var modified = await call.Store.MutateAsync(config =>
        {
            var index = IndexOf(config, arn);
            var group = config.TargetGroups[index];
            var current = group.HealthCheck;
            // A switch of check protocol on an NLB group brings that protocol's timeout unless one is given.
            if (healthProtocol is not null && healthProtocol != current.Protocol && !IsApplication(group) && p.Get("HealthCheckTimeoutSeconds") is null)
                current = current with { TimeoutSeconds = HealthCheckDefaults.For(group.Protocol, group.TargetType, group.ProtocolVersion, healthProtocol).TimeoutSeconds };
            if (healthProtocol is not null) current = current with { Protocol = healthProtocol };
            var next = group with { HealthCheck = ReadHealthCheck(p, current, group.TargetType, group.ProtocolVersion) };
            TargetGroupValidator.Validate(next);
            return (config with { TargetGroups = config.TargetGroups.SetItem(index, next) }, next);
        });
        var usage = TargetGroupUsage.Of(call.Store.Current);
        return w => w.List("TargetGroups", [modified], (m, tg) => TargetGroupShape.Write(m, tg, usage.LoadBalancerArns(tg.Arn)));
    }

    private static async Task<Action<AwsXmlWriter>?> DeleteTargetGroupAsync(ApiCall call)
    {
        var arn = call.Parameters.Require("TargetGroupArn");
        await call.Store.MutateAsync(config =>
        {
            var index = -1;
            for (var i = 0; i < config.TargetGroups.Length && index < 0; i++)
                if (config.TargetGroups[i].Arn == arn) index = i;
            // Deleting a group that is already gone succeeds, as AWS's does.
            if (index < 0) return (config, false);
            if (TargetGroupUsage.Of(config).IsInUse(arn))
                throw new ApiException("ResourceInUse", $"Target group '{arn}' is currently in use by a listener or a rule");
            return (config with { TargetGroups = config.TargetGroups.RemoveAt(index) }, true);
        });
        return null;
    }

    private static Task<Action<AwsXmlWriter>?> DescribeTargetGroupAttributesAsync(ApiCall call)
    {
        var arn = call.Parameters.Require("TargetGroupArn");
        var config = call.Store.Current;
        var group = config.TargetGroups[IndexOf(config, arn)];
        return Task.FromResult<Action<AwsXmlWriter>?>(w => TargetGroupAttributeShape.WriteAll(w, group));
    }

    private static async Task<Action<AwsXmlWriter>?> ModifyTargetGroupAttributesAsync(ApiCall call)
    {
        var p = call.Parameters;
        var arn = p.Require("TargetGroupArn");
        var changes = TargetGroupAttributeShape.RequireList(p);
        var modified = await call.Store.MutateAsync(config =>
        {
            var index = IndexOf(config, arn);
            var next = TargetGroupAttributeShape.Apply(config.TargetGroups[index], changes);
            var problems = TargetGroupValidator.Collect(next);
            if (problems.Count > 0) throw new ApiException(ErrorCodes.InvalidConfigurationRequest, problems[0].Message);
            var unsupported = new ValidationErrorList();
            HostFactValidator.Check(next, call.Host, unsupported);
            if (unsupported.Count > 0) throw ApiException.Validation(unsupported.Errors[0].Message);
            return (config with { TargetGroups = config.TargetGroups.SetItem(index, next) }, next);
        });
        return w => TargetGroupAttributeShape.WriteAll(w, modified);
    }

    /// <summary>The health-check members of CreateTargetGroup/ModifyTargetGroup laid over <paramref name="current"/>.</summary>
    private static HealthCheckSettings ReadHealthCheck(QueryParameters p, HealthCheckSettings current, string targetType, string? protocolVersion)
    {
        var enabled = p.GetBool("HealthCheckEnabled");
        if (enabled == false && targetType != "lambda")
            throw ApiException.Validation("Health checks cannot be disabled for target groups with the target type '" + targetType + "'");
        var matcher = p.GetStruct("Matcher");
        var grpcCode = matcher?.Get("GrpcCode");
        var httpCode = matcher?.Get("HttpCode");
        if (protocolVersion == "GRPC" && httpCode is not null)
            throw ApiException.Validation("An HTTP matcher cannot be used with a gRPC target group; use GrpcCode");
        if (protocolVersion != "GRPC" && grpcCode is not null)
            throw ApiException.Validation("A gRPC matcher can be used only with target groups whose protocol version is GRPC");
        var path = p.Get("HealthCheckPath");
        var healthPort = p.Get("HealthCheckPort");
        return current with
        {
            Enabled = enabled ?? current.Enabled,
            Port = healthPort ?? current.Port,
            Path = path ?? current.Path,
            IntervalSeconds = p.GetInt("HealthCheckIntervalSeconds") ?? current.IntervalSeconds,
            TimeoutSeconds = p.GetInt("HealthCheckTimeoutSeconds") ?? current.TimeoutSeconds,
            HealthyThresholdCount = p.GetInt("HealthyThresholdCount") ?? current.HealthyThresholdCount,
            UnhealthyThresholdCount = p.GetInt("UnhealthyThresholdCount") ?? current.UnhealthyThresholdCount,
            MatcherHttpCode = httpCode ?? current.MatcherHttpCode,
            MatcherGrpcCode = grpcCode ?? current.MatcherGrpcCode,
        };
    }

    private static bool IsApplication(TargetGroup group) => TargetGroupValidator.IsApplicationTargetGroup(group);

    /// <summary>Everything CreateTargetGroup sets, so a repeated create with the same settings returns the existing group.</summary>
    private static bool SameSettings(TargetGroup a, TargetGroup b) =>
        a.Protocol == b.Protocol && a.Port == b.Port && a.VpcId == b.VpcId && a.TargetType == b.TargetType
        && a.ProtocolVersion == b.ProtocolVersion && a.IpAddressType == b.IpAddressType && a.HealthCheck == b.HealthCheck
        && a.TargetControlPort == b.TargetControlPort;

    private static string? Enum(QueryParameters p, string member, string[] allowed)
    {
        var value = p.Get(member);
        if (value is null || Array.IndexOf(allowed, value) >= 0) return value;
        throw ApiException.Constraint(p.MemberName(member), value, $"Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
    }

    /// <summary>The group's index; TargetGroupNotFound when there is none.</summary>
    internal static int IndexOf(ElbeConfiguration config, string arn)
    {
        for (var i = 0; i < config.TargetGroups.Length; i++)
            if (config.TargetGroups[i].Arn == arn) return i;
        throw NotFound(arn);
    }

    internal static ApiException NotFound(string arn) =>
        new(ErrorCodes.TargetGroupNotFound, "One or more target groups not found");
}
