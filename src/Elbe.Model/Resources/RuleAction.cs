using System.Collections.Immutable;

namespace Elbe.Model.Resources;

public sealed record RuleAction
{
    public required string Type { get; init; }
    public int? Order { get; init; }
    /// <summary>The plain single-target-group form of forward.</summary>
    public string? TargetGroupArn { get; init; }
    public ForwardConfig? Forward { get; init; }
    public RedirectConfig? Redirect { get; init; }
    public FixedResponseConfig? FixedResponse { get; init; }

    /// <summary>The target groups this forward sends to, whichever of the two forms was used.</summary>
    public ImmutableArray<WeightedTargetGroup> ForwardTargetGroups =>
        Forward is { TargetGroups.Length: > 0 } f ? f.TargetGroups
        : TargetGroupArn is { } arn ? [new WeightedTargetGroup(arn, 1)]
        : [];
}

public static class ActionTypes
{
    public const string Forward = "forward";
    public const string Redirect = "redirect";
    public const string FixedResponse = "fixed-response";
    public const string AuthenticateOidc = "authenticate-oidc";
    public const string AuthenticateCognito = "authenticate-cognito";
}

public sealed record ForwardConfig
{
    public ImmutableArray<WeightedTargetGroup> TargetGroups { get; init; } = [];
    public bool StickinessEnabled { get; init; }
    public int? StickinessDurationSeconds { get; init; }
}

public sealed record WeightedTargetGroup(string TargetGroupArn, int Weight);

public sealed record RedirectConfig
{
    /// <summary>Each field defaults to its #{...} placeholder, which keeps the original value.</summary>
    public string Protocol { get; init; } = "#{protocol}";
    public string Port { get; init; } = "#{port}";
    public string Host { get; init; } = "#{host}";
    public string Path { get; init; } = "/#{path}";
    public string Query { get; init; } = "#{query}";
    /// <summary>HTTP_301 or HTTP_302.</summary>
    public required string StatusCode { get; init; }
}

public sealed record FixedResponseConfig
{
    public required string StatusCode { get; init; }
    public string? ContentType { get; init; }
    public string? MessageBody { get; init; }
}
