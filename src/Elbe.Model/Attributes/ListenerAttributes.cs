using System.Collections.Immutable;
using static Elbe.Model.Attributes.AttributeChecks;

namespace Elbe.Model.Attributes;

/// <summary>Listener attribute keys, defaults and valid values, per load balancer type.</summary>
public static class ListenerAttributes
{
    public const string TcpIdleTimeout = "tcp.idle_timeout.seconds";
    public const string ServerHeaderEnabled = "routing.http.response.server.enabled";

    /// <summary>Response header values an ALB listener adds; unset (empty) means the header is left alone.</summary>
    public static readonly ImmutableArray<string> ResponseHeaderValueKeys =
    [
        "routing.http.response.strict_transport_security.header_value",
        "routing.http.response.access_control_allow_origin.header_value",
        "routing.http.response.access_control_allow_methods.header_value",
        "routing.http.response.access_control_allow_headers.header_value",
        "routing.http.response.access_control_allow_credentials.header_value",
        "routing.http.response.access_control_expose_headers.header_value",
        "routing.http.response.access_control_max_age.header_value",
        "routing.http.response.content_security_policy.header_value",
        "routing.http.response.x_content_type_options.header_value",
        "routing.http.response.x_frame_options.header_value",
    ];

    public static readonly ImmutableArray<AttributeDefinition> Application =
    [
        new("routing.http.request.x_amzn_mtls_clientcert_serial_number.header_name", "X-Amzn-Mtls-Clientcert-Serial-Number", HeaderName),
        new("routing.http.request.x_amzn_mtls_clientcert_issuer.header_name", "X-Amzn-Mtls-Clientcert-Issuer", HeaderName),
        new("routing.http.request.x_amzn_mtls_clientcert_subject.header_name", "X-Amzn-Mtls-Clientcert-Subject", HeaderName),
        new("routing.http.request.x_amzn_mtls_clientcert_validity.header_name", "X-Amzn-Mtls-Clientcert-Validity", HeaderName),
        new("routing.http.request.x_amzn_mtls_clientcert_leaf.header_name", "X-Amzn-Mtls-Clientcert-Leaf", HeaderName),
        new("routing.http.request.x_amzn_mtls_clientcert.header_name", "X-Amzn-Mtls-Clientcert", HeaderName),
        new("routing.http.request.x_amzn_tls_version.header_name", "X-Amzn-Tls-Version", HeaderName),
        new("routing.http.request.x_amzn_tls_cipher_suite.header_name", "X-Amzn-Tls-Cipher-Suite", HeaderName),
        new(ServerHeaderEnabled, "true", Bool),
        .. ResponseHeaderValueKeys.Select(k => new AttributeDefinition(k, "", HeaderValue)),
    ];

    /// <summary>NLB TCP listeners and GWLB listeners.</summary>
    public static readonly ImmutableArray<AttributeDefinition> Tcp =
    [
        new(TcpIdleTimeout, "350", IntRange(60, 6000)),
    ];

    /// <summary>Listeners with no attributes of their own (NLB TLS, UDP, QUIC, ...).</summary>
    public static readonly ImmutableArray<AttributeDefinition> None = [];

    private static Func<string, string?> HeaderName => v =>
    {
        if (v.Length is < 1 or > 40) return "must be 1 to 40 characters";
        foreach (var c in v)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_')) return "must contain only letters, digits, hyphens and underscores";
        return null;
    };

    private static Func<string, string?> HeaderValue => v =>
    {
        if (v.Length > 1024) return "must be at most 1024 characters";
        foreach (var c in v)
            if (c < 0x20 || c == 0x7f) return "must not contain control characters";
        return null;
    };
}
