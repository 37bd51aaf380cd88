using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Elbe.ControlPlane.Api.Shapes;
using Elbe.Model.Resources;
using Elbe.Model.Validation;
using Elbe.Routing.Health;

namespace Elbe.ControlPlane.Api.Actions;

/// <summary>RegisterTargets, DeregisterTargets and DescribeTargetHealth.</summary>
public static class TargetActions
{
    private static readonly TargetHealth RegistrationInProgress =
        new(TargetHealthStates.Initial, "Elb.RegistrationInProgress", "Target registration is in progress");
    private static readonly TargetHealth HealthCheckDisabled =
        new(TargetHealthStates.Unavailable, "Target.HealthCheckDisabled", "Health checks are disabled");

    public static void Register(ApiActionTable table) => table
        .AddElbv2("RegisterTargets", RegisterTargetsAsync)
        .AddElbv2("DeregisterTargets", DeregisterTargetsAsync)
        .AddElbv2("DescribeTargetHealth", DescribeTargetHealthAsync);

    private static async Task<Action<AwsXmlWriter>?> RegisterTargetsAsync(ApiCall call)
    {
        var p = call.Parameters;
        var arn = p.Require("TargetGroupArn");
        await call.Store.MutateAsync(config =>
        {
            var index = TargetGroupActions.IndexOf(config, arn);
            var group = config.TargetGroups[index];
            var targets = RequireTargets(p, group);
            foreach (var t in targets) CheckTarget(config, group, t);

            var registered = new List<TargetDescription>(group.Targets);
            foreach (var t in targets)
            {
                var at = registered.FindIndex(r => TargetDescriptionShape.SameRegistration(r, t));
                if (at >= 0) registered[at] = t;
                else registered.Add(t);
            }
            var limit = group.TargetType is "lambda" or "alb" ? 1 : TargetGroupValidator.MaxTargets;
            if (registered.Count > limit)
                throw new ApiException(ErrorCodes.TooManyTargets, $"You've reached the limit on the number of targets registered to a target group ({limit})");
            var next = group with { Targets = [.. registered] };
            var instanceIds = new HashSet<string>(config.Instances.Select(i => i.InstanceId), StringComparer.Ordinal);
            var problems = TargetGroupValidator.Collect(next, instanceIds);
            if (problems.Count > 0) throw new ApiException(problems[0].Code, problems[0].Message);
            return (config with { TargetGroups = config.TargetGroups.SetItem(index, next) }, true);
        });
        return null;
    }

    private static async Task<Action<AwsXmlWriter>?> DeregisterTargetsAsync(ApiCall call)
    {
        var p = call.Parameters;
        var arn = p.Require("TargetGroupArn");
        await call.Store.MutateAsync(config =>
        {
            var index = TargetGroupActions.IndexOf(config, arn);
            var group = config.TargetGroups[index];
            var targets = RequireTargets(p, group);
            var registered = new List<TargetDescription>(group.Targets);
            var missing = new List<string>();
            foreach (var t in targets)
            {
                var at = registered.FindIndex(r => TargetDescriptionShape.SameRegistration(r, t));
                if (at >= 0) registered.RemoveAt(at);
                else missing.Add(t.Id);
            }
            if (missing.Count > 0)
                throw new ApiException(ErrorCodes.InvalidTarget, $"The following targets are not registered in target group '{group.Name}': '{string.Join("', '", missing)}'");
            // The data plane drains what disappears from the configuration for the deregistration delay.
            return (config with { TargetGroups = config.TargetGroups.SetItem(index, group with { Targets = [.. registered] }) }, true);
        });
        return null;
    }

    private static Task<Action<AwsXmlWriter>?> DescribeTargetHealthAsync(ApiCall call)
    {
        var p = call.Parameters;
        var arn = p.Require("TargetGroupArn");
        var config = call.Store.Current;
        var group = config.TargetGroups[TargetGroupActions.IndexOf(config, arn)];
        var include = p.GetList("Include") ?? [];
        foreach (var item in include)
            if (item is not ("AnomalyDetection" or "All"))
                throw ApiException.Constraint("include", item, "Member must satisfy enum value set: [AnomalyDetection, All]");
        var anomaly = include.Count > 0;
        var inUse = TargetGroupUsage.Of(config).IsInUse(arn);

        var live = new Dictionary<(string, int?), TargetHealthReport>();
        foreach (var report in call.Health.Describe(arn))
            live[(report.Target.Id, report.Target.Port ?? (group.TargetType == "lambda" ? null : group.Port))] = report;

        var rows = new List<(TargetDescription Target, string? Port, TargetHealth Health)>();
        var requested = TargetDescriptionShape.ReadList(p, "Targets", group);
        if (requested is { Count: > 0 })
        {
            foreach (var t in requested)
            {
                var registration = group.Targets.FirstOrDefault(r => TargetDescriptionShape.SameRegistration(r, t));
                if (registration is not null) rows.Add(Describe(group, registration, inUse, live));
                else if (inUse && live.TryGetValue((t.Id, t.Port), out var report) && report.Health.State == TargetHealthStates.Draining)
                    rows.Add((report.Target with { Port = t.Port }, report.HealthCheckPort, report.Health));
                else rows.Add((t, HealthCheckPort(group, t), TargetHealth.NotRegistered));
            }
        }
        else
        {
            var seen = new HashSet<(string, int?)>();
            foreach (var registration in group.Targets)
            {
                seen.Add((registration.Id, registration.Port));
                rows.Add(Describe(group, registration, inUse, live));
            }
            // Deregistered targets stay listed while the data plane drains them; a group no listener uses has
            // no connections to drain.
            foreach (var (key, report) in live)
                if (inUse && !seen.Contains(key) && report.Health.State == TargetHealthStates.Draining)
                    rows.Add((report.Target with { Port = key.Item2 }, report.HealthCheckPort, report.Health));
        }

        return Task.FromResult<Action<AwsXmlWriter>?>(w =>
            w.List("TargetHealthDescriptions", rows, (m, row) => TargetHealthShape.Write(m, row.Target, row.Port, row.Health, anomaly)));
    }

    private static (TargetDescription, string?, TargetHealth) Describe(TargetGroup group, TargetDescription registration, bool inUse,
        Dictionary<(string, int?), TargetHealthReport> live)
    {
        var port = HealthCheckPort(group, registration);
        if (live.TryGetValue((registration.Id, registration.Port), out var report))
        {
            // A group no listener uses gets no traffic and no checks, whatever the data plane last knew.
            if (!inUse && report.Health.State != TargetHealthStates.Draining) return (registration, port, TargetHealth.NotInUse);
            return (registration, report.HealthCheckPort ?? port, report.Health);
        }
        if (!inUse) return (registration, port, TargetHealth.NotInUse);
        if (group.TargetType == "lambda" && !group.HealthCheck.Enabled) return (registration, null, HealthCheckDisabled);
        return (registration, port, RegistrationInProgress);
    }

    private static string? HealthCheckPort(TargetGroup group, TargetDescription target)
    {
        if (group.TargetType == "lambda") return null;
        return group.HealthCheck.Port == "traffic-port"
            ? (target.Port ?? group.Port)?.ToString(CultureInfo.InvariantCulture)
            : group.HealthCheck.Port;
    }

    private static List<TargetDescription> RequireTargets(QueryParameters p, TargetGroup group)
    {
        var targets = TargetDescriptionShape.ReadList(p, "Targets", group) ?? throw ApiException.Constraint("targets", null, "Member must not be null");
        if (targets.Count == 0) throw ApiException.Constraint("targets", "[]", "Member must have length greater than or equal to 1");
        return targets;
    }

    /// <summary>What the validator cannot know: Lambda and ALB targets name real resources, and ports are in range.</summary>
    private static void CheckTarget(ElbeConfiguration config, TargetGroup group, TargetDescription target)
    {
        if (target.Port is { } port && port is < 1 or > 65535)
            throw ApiException.Constraint("targets.member.port", port.ToString(CultureInfo.InvariantCulture), "Member must have value between 1 and 65535");
        switch (group.TargetType)
        {
            case "lambda":
                if (!target.Id.StartsWith("arn:aws:lambda:", StringComparison.Ordinal) || !target.Id.Contains(":function:", StringComparison.Ordinal))
                    throw new ApiException(ErrorCodes.InvalidTarget, $"The target '{target.Id}' is not a valid Lambda function ARN");
                break;
            case "alb":
                if (!config.LoadBalancers.Any(lb => lb.Arn == target.Id && lb.Type == LoadBalancerType.Application))
                    throw new ApiException(ErrorCodes.InvalidTarget, $"The target '{target.Id}' is not a valid Application Load Balancer ARN");
                break;
            case "ip":
                if (target.AvailabilityZone is { } zone && zone != "all" && !zone.StartsWith(config.Region, StringComparison.Ordinal))
                    throw ApiException.Validation($"The Availability Zone '{zone}' is not valid");
                if (IPAddress.TryParse(target.Id, out var address) && address.AddressFamily == AddressFamily.InterNetwork
                    && config.LoadBalancers.Any(lb => lb.Nodes.Any(n => n.IpAddress == target.Id)))
                    throw new ApiException(ErrorCodes.InvalidTarget, $"The IP address '{target.Id}' belongs to a load balancer and cannot be a target");
                break;
        }
        if (target.QuicServerId is { } quic)
        {
            if (group.Protocol is not ("QUIC" or "TCP_QUIC"))
                throw ApiException.Validation("A QUIC server ID can be specified only for QUIC and TCP_QUIC target groups");
            if (quic.Length != 18 || !quic.StartsWith("0x", StringComparison.Ordinal) || quic.AsSpan(2).ContainsAnyExcept("0123456789abcdef"))
                throw ApiException.Validation($"The QUIC server ID '{quic}' must be 0x followed by 16 lowercase hexadecimal digits");
        }
    }
}
