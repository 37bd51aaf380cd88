using System.Collections.Immutable;

namespace Elbe.Model.Resources;

/// <summary>
/// One rule condition. <see cref="Field"/> names the kind; the values live in the matching config,
/// normalised so the legacy top-level <c>Values</c> of host-header and path-pattern are folded into <see cref="Values"/>.
/// </summary>
public sealed record RuleCondition
{
    public required string Field { get; init; }
    /// <summary>Values for host-header, path-pattern, http-request-method, source-ip and http-header.</summary>
    public ImmutableArray<string> Values { get; init; } = [];
    /// <summary>Header name, for http-header only.</summary>
    public string? HttpHeaderName { get; init; }
    /// <summary>Key/value pairs, for query-string only. A null key matches any key.</summary>
    public ImmutableArray<QueryStringPair> QueryStringValues { get; init; } = [];
    /// <summary>Regular expressions for host-header, path-pattern and http-header, instead of or besides wildcard Values.</summary>
    public ImmutableArray<string> RegexValues { get; init; } = [];
    /// <summary>source-ip only: ipv4 or ipv6 when the request said so.</summary>
    public string? SourceIpAddressType { get; init; }
}

public sealed record QueryStringPair(string? Key, string Value);

public static class ConditionFields
{
    public const string HostHeader = "host-header";
    public const string PathPattern = "path-pattern";
    public const string HttpRequestMethod = "http-request-method";
    public const string SourceIp = "source-ip";
    public const string HttpHeader = "http-header";
    public const string QueryString = "query-string";

    /// <summary>Each field's typed config member, as the API and CloudFormation both name it.</summary>
    public static readonly IReadOnlyDictionary<string, string> ConfigMembers = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [HostHeader] = "HostHeaderConfig",
        [PathPattern] = "PathPatternConfig",
        [HttpHeader] = "HttpHeaderConfig",
        [HttpRequestMethod] = "HttpRequestMethodConfig",
        [QueryString] = "QueryStringConfig",
        [SourceIp] = "SourceIpConfig",
    };
}
