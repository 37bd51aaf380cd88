using System.Collections.Immutable;
using static Elbe.Model.Attributes.AttributeChecks;

namespace Elbe.Model.Attributes;

/// <summary>ALB load balancer attribute keys, defaults and valid values.</summary>
public static class LoadBalancerAttributes
{
    public const string IdleTimeout = "idle_timeout.timeout_seconds";
    public const string ClientKeepAlive = "client_keep_alive.seconds";
    public const string XffMode = "routing.http.xff_header_processing.mode";
    public const string XffClientPort = "routing.http.xff_client_port.enabled";
    public const string PreserveHostHeader = "routing.http.preserve_host_header.enabled";
    public const string DropInvalidHeaderFields = "routing.http.drop_invalid_header_fields.enabled";
    public const string DesyncMitigationMode = "routing.http.desync_mitigation_mode";
    public const string Http2Enabled = "routing.http2.enabled";

    public static readonly ImmutableArray<AttributeDefinition> Application =
    [
        new("access_logs.s3.enabled", "false", Bool),
        new("access_logs.s3.bucket", "", Any),
        new("access_logs.s3.prefix", "", Any),
        new("client_keep_alive.seconds", "3600", IntRange(60, 604800)),
        new("connection_logs.s3.enabled", "false", Bool),
        new("connection_logs.s3.bucket", "", Any),
        new("connection_logs.s3.prefix", "", Any),
        new("deletion_protection.enabled", "false", Bool),
        new("health_check_logs.s3.enabled", "false", Bool),
        new("health_check_logs.s3.bucket", "", Any),
        new("health_check_logs.s3.prefix", "", Any),
        new("idle_timeout.timeout_seconds", "60", IntRange(1, 4000)),
        new("ipv6.deny_all_igw_traffic", "false", Bool),
        new("load_balancing.cross_zone.enabled", "true", OneOf("true")),
        new("routing.http.desync_mitigation_mode", "defensive", OneOf("monitor", "defensive", "strictest")),
        new("routing.http.drop_invalid_header_fields.enabled", "false", Bool),
        new("routing.http.preserve_host_header.enabled", "false", Bool),
        new("routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false", Bool),
        new("routing.http.xff_client_port.enabled", "false", Bool),
        new("routing.http.xff_header_processing.mode", "append", OneOf("append", "preserve", "remove")),
        new("routing.http2.enabled", "true", Bool),
        new("waf.fail_open.enabled", "false", Bool),
        new("zonal_shift.config.enabled", "false", Bool),
    ];
}
