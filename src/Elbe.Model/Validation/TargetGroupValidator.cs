using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Elbe.Model.Attributes;
using Elbe.Model.Resources;

namespace Elbe.Model.Validation;

/// <summary>
/// Checks one target group on its own: name, port, health check, attributes and their combinations, targets.
/// Instance targets are checked against <c>knownInstanceIds</c> when given.
/// </summary>
public static class TargetGroupValidator
{
    public const int MaxTargets = 1000;

    private static readonly string[] Protocols = ["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE", "QUIC", "TCP_QUIC"];
    private static readonly string[] TargetTypes = ["instance", "ip", "lambda", "alb"];

    public static IReadOnlyList<ModelValidationException> Collect(TargetGroup group, IReadOnlySet<string>? knownInstanceIds = null)
    {
        var errors = new ValidationErrorList();
        Check(group, knownInstanceIds, errors);
        return errors.Errors;
    }

    public static void Validate(TargetGroup group, IReadOnlySet<string>? knownInstanceIds = null)
    {
        var errors = new ValidationErrorList();
        Check(group, knownInstanceIds, errors);
        errors.ThrowIfAny();
    }

    public static void Check(TargetGroup group, IReadOnlySet<string>? knownInstanceIds, ValidationErrorList errors)
    {
        var arn = group.Arn;
        if (ResourceNameRules.CheckTargetGroupName(group.Name) is { } nameWhy)
            errors.Add(ErrorCodes.ValidationError, nameWhy, arn, "Name");
        if (Array.IndexOf(TargetTypes, group.TargetType) < 0)
            errors.Add(ErrorCodes.ValidationError, $"Target type '{group.TargetType}' is not valid; use one of {string.Join(", ", TargetTypes)}", arn, "TargetType");

        var isLambda = group.TargetType == "lambda";
        if (!isLambda)
        {
            if (group.Protocol is null || Array.IndexOf(Protocols, group.Protocol) < 0)
                errors.Add(ErrorCodes.ValidationError, $"Target group protocol '{group.Protocol}' is not valid", arn, "Protocol");
            if (group.Port is not { } port)
                errors.Add(ErrorCodes.ValidationError, "A port must be specified for target groups whose target type is not lambda", arn, "Port");
            else if (port is < 1 or > 65535)
                errors.Add(ErrorCodes.ValidationError, $"Target group port must be between 1 and 65535; '{port}' is not valid", arn, "Port");
        }

        CheckKind(group, errors);
        CheckHealthCheck(group, errors);
        CheckAttributes(group, errors);
        CheckTargets(group, knownInstanceIds, errors);
    }

    /// <summary>A target group an ALB forwards to: HTTP/HTTPS protocol, or a Lambda function.</summary>
    public static bool IsApplicationTargetGroup(TargetGroup group) =>
        group.TargetType == "lambda" || group.Protocol is "HTTP" or "HTTPS";

    /// <summary>Combinations only some kinds of group allow: alb-type groups are TCP, GENEVE groups use port 6081.</summary>
    private static void CheckKind(TargetGroup group, ValidationErrorList errors)
    {
        var arn = group.Arn;
        if (group.TargetType == "alb")
        {
            if (group.Protocol != "TCP")
                errors.Add(ErrorCodes.ValidationError, "A target group with target type 'alb' must use the TCP protocol", arn, "Protocol");
            if (group.HealthCheck.Protocol is not ("HTTP" or "HTTPS"))
                errors.Add(ErrorCodes.ValidationError, "A target group with target type 'alb' supports only HTTP and HTTPS health checks", arn, "HealthCheckProtocol");
        }
        if (group.Protocol == "GENEVE")
        {
            if (group.Port is { } port and not 6081)
                errors.Add(ErrorCodes.ValidationError, $"A GENEVE target group must use port 6081; '{port}' is not valid", arn, "Port");
            if (group.TargetType is not ("instance" or "ip"))
                errors.Add(ErrorCodes.ValidationError, $"A GENEVE target group supports only the instance and ip target types", arn, "TargetType");
            if (group.HealthCheck.Protocol != "TCP" && group.HealthCheck.MatcherHttpCode != "200-399")
                errors.Add(ErrorCodes.ValidationError, "The health check matcher of a GENEVE target group must be '200-399'", arn, "Matcher.HttpCode");
        }
    }

    private static void CheckHealthCheck(TargetGroup group, ValidationErrorList errors)
    {
        var arn = group.Arn;
        var hc = group.HealthCheck;
        if (hc.Protocol is not ("HTTP" or "HTTPS" or "TCP"))
            errors.Add(ErrorCodes.ValidationError, $"Health check protocol '{hc.Protocol}' is not valid; use HTTP, HTTPS or TCP", arn, "HealthCheckProtocol");
        else if (hc.Protocol == "TCP" && group.Protocol is "HTTP" or "HTTPS")
            errors.Add(ErrorCodes.ValidationError, "Health check protocol TCP is not supported for HTTP or HTTPS target groups", arn, "HealthCheckProtocol");
        if (hc.Port != "traffic-port" && !(int.TryParse(hc.Port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 65535))
            errors.Add(ErrorCodes.ValidationError, $"Health check port must be 1-65535 or 'traffic-port'; '{hc.Port}' is not valid", arn, "HealthCheckPort");
        if (hc.IntervalSeconds is < 5 or > 300)
            errors.Add(ErrorCodes.ValidationError, $"Health check interval must be between 5 and 300 seconds; '{hc.IntervalSeconds}' is not valid", arn, "HealthCheckIntervalSeconds");
        if (hc.TimeoutSeconds is < 2 or > 120)
            errors.Add(ErrorCodes.ValidationError, $"Health check timeout must be between 2 and 120 seconds; '{hc.TimeoutSeconds}' is not valid", arn, "HealthCheckTimeoutSeconds");
        else if (hc.TimeoutSeconds >= hc.IntervalSeconds)
            errors.Add(ErrorCodes.ValidationError, "Health check timeout must be smaller than the interval", arn, "HealthCheckTimeoutSeconds");
        if (hc.HealthyThresholdCount is < 2 or > 10)
            errors.Add(ErrorCodes.ValidationError, $"Healthy threshold count must be between 2 and 10; '{hc.HealthyThresholdCount}' is not valid", arn, "HealthyThresholdCount");
        if (hc.UnhealthyThresholdCount is < 2 or > 10)
            errors.Add(ErrorCodes.ValidationError, $"Unhealthy threshold count must be between 2 and 10; '{hc.UnhealthyThresholdCount}' is not valid", arn, "UnhealthyThresholdCount");
        if (hc.Protocol != "TCP" && (hc.Path.Length is < 1 or > 1024 || hc.Path[0] != '/'))
            errors.Add(ErrorCodes.ValidationError, "Health check path must be 1 to 1024 characters and start with '/'", arn, "HealthCheckPath");

        if (group.ProtocolVersion == "GRPC")
        {
            if (hc.MatcherGrpcCode is { } grpc && !IsCodeList(grpc, 0, 99))
                errors.Add(ErrorCodes.ValidationError, $"gRPC matcher '{grpc}' must be codes from 0 to 99 as a list (0,12) or a range (0-99)", arn, "Matcher.GrpcCode");
        }
        else if (hc.Protocol != "TCP")
        {
            // ALB target groups accept 200-499; NLB/GWLB-style groups (HTTP checks on TCP groups) accept up to 599.
            var max = IsApplicationTargetGroup(group) ? 499 : 599;
            if (!IsCodeList(hc.MatcherHttpCode, 200, max))
                errors.Add(ErrorCodes.ValidationError, $"HTTP matcher '{hc.MatcherHttpCode}' must be codes from 200 to {max} as a list (200,202) or a range (200-299)", arn, "Matcher.HttpCode");
        }
    }

    /// <summary>A comma-separated list of codes or a single <c>low-high</c> range, every code within [min, max].</summary>
    public static bool IsCodeList(string text, int min, int max)
    {
        if (string.IsNullOrEmpty(text)) return false;
        var dash = text.IndexOf('-');
        if (dash >= 0)
            return TryCode(text.AsSpan(0, dash), min, max, out var low) && TryCode(text.AsSpan(dash + 1), min, max, out var high) && low <= high;
        foreach (var part in text.Split(','))
            if (!TryCode(part, min, max, out _)) return false;
        return true;
    }

    private static bool TryCode(ReadOnlySpan<char> s, int min, int max, out int code) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out code) && code >= min && code <= max;

    private static void CheckAttributes(TargetGroup group, ValidationErrorList errors)
    {
        var arn = group.Arn;
        var definitions = TargetGroupAttributeSets.For(group);
        var allValid = true;
        foreach (var (key, value) in group.Attributes)
        {
            if (AttributeSet.Check(definitions, key, value) is { } why)
            {
                errors.Add(ErrorCodes.ValidationError, why, arn, $"Attributes[{key}]");
                allValid = false;
            }
        }
        if (!allValid) return;

        var set = new AttributeSet(group.Attributes, definitions);
        if (group.Protocol == "GENEVE")
        {
            if (set.Get(GatewayTargetGroupAttributes.FailoverOnDeregistration) != set.Get(GatewayTargetGroupAttributes.FailoverOnUnhealthy))
                errors.Add(ErrorCodes.ValidationError, "target_failover.on_deregistration and target_failover.on_unhealthy must have the same value", arn, $"Attributes[{GatewayTargetGroupAttributes.FailoverOnDeregistration}]");
            return;
        }
        if (!IsApplicationTargetGroup(group))
        {
            if (set.GetBool(NetworkTargetGroupAttributes.UnhealthyConnectionTermination) && set.GetInt(NetworkTargetGroupAttributes.UnhealthyDrainingInterval) > 0)
                errors.Add(ErrorCodes.ValidationError, "A draining interval for unhealthy targets needs target_health_state.unhealthy.connection_termination.enabled set to false", arn, $"Attributes[{NetworkTargetGroupAttributes.UnhealthyDrainingInterval}]");
            return;
        }
        if (group.TargetType == "lambda") return;
        var algorithm = set.Get(TargetGroupAttributes.Algorithm);
        if (algorithm is "least_outstanding_requests" or "weighted_random" && set.GetInt(TargetGroupAttributes.SlowStart) > 0)
            errors.Add(ErrorCodes.ValidationError, $"Slow start cannot be combined with the '{algorithm}' algorithm", arn, $"Attributes[{TargetGroupAttributes.SlowStart}]");
        if (algorithm == "weighted_random" && set.GetBool(TargetGroupAttributes.StickinessEnabled))
            errors.Add(ErrorCodes.ValidationError, "Stickiness cannot be combined with the 'weighted_random' algorithm", arn, $"Attributes[{TargetGroupAttributes.StickinessEnabled}]");
        // ALB keeps a sticky session on one target; with cross-zone off the next node may not reach it (fact sheet 0.2, 1.8).
        if (set.Get(TargetGroupAttributes.CrossZone) == "false" && set.GetBool(TargetGroupAttributes.StickinessEnabled))
            errors.Add(ErrorCodes.ValidationError, "Stickiness cannot be enabled for a target group with cross-zone load balancing turned off", arn, $"Attributes[{TargetGroupAttributes.StickinessEnabled}]");
        if (set.Get("load_balancing.algorithm.anomaly_mitigation") == "on" && algorithm != "weighted_random")
            errors.Add(ErrorCodes.ValidationError, "Anomaly mitigation requires the 'weighted_random' algorithm", arn, "Attributes[load_balancing.algorithm.anomaly_mitigation]");
        if (set.Get(TargetGroupAttributes.StickinessType) == "app_cookie" && set.Get(TargetGroupAttributes.AppCookieName).Length == 0)
            errors.Add(ErrorCodes.ValidationError, "An application cookie name is required for app_cookie stickiness", arn, $"Attributes[{TargetGroupAttributes.AppCookieName}]");
    }

    private static void CheckTargets(TargetGroup group, IReadOnlySet<string>? knownInstanceIds, ValidationErrorList errors)
    {
        var arn = group.Arn;
        var limit = group.TargetType is "lambda" or "alb" ? 1 : MaxTargets;
        if (group.Targets.Length > limit)
            errors.Add(ErrorCodes.TooManyTargets, $"A '{group.TargetType}' target group can have at most {limit} targets", arn, "Targets");

        for (var i = 0; i < group.Targets.Length; i++)
        {
            var t = group.Targets[i];
            var at = $"Targets[{i}]";
            if (t.Port is { } port && port is < 1 or > 65535)
                errors.Add(ErrorCodes.ValidationError, $"Target port must be between 1 and 65535; '{port}' is not valid", arn, at + ".Port");
            switch (group.TargetType)
            {
                case "instance":
                    if (knownInstanceIds is not null && !knownInstanceIds.Contains(t.Id))
                        errors.Add(ErrorCodes.InvalidTarget, $"The following targets are not valid instances: '{t.Id}'", arn, at + ".Id");
                    break;
                case "ip":
                    if (!IPAddress.TryParse(t.Id, out var address) || (address.AddressFamily == AddressFamily.InterNetwork && t.Id.Count(c => c == '.') != 3))
                        errors.Add(ErrorCodes.InvalidTarget, $"The IP address '{t.Id}' is not valid", arn, at + ".Id");
                    else if ((group.IpAddressType == "ipv6") != (address.AddressFamily == AddressFamily.InterNetworkV6))
                        errors.Add(ErrorCodes.InvalidTarget, $"The IP address '{t.Id}' does not match the target group's IP address type '{group.IpAddressType}'", arn, at + ".Id");
                    break;
            }
        }
    }
}
