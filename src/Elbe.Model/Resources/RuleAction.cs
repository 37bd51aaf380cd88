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
    public AuthenticateOidcConfig? AuthenticateOidc { get; init; }
    public AuthenticateCognitoConfig? AuthenticateCognito { get; init; }
    public JwtValidationConfig? JwtValidation { get; init; }

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
    public const string JwtValidation = "jwt-validation";
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

/// <summary>Shared by the OIDC and Cognito authenticate actions: the session cookie and what to do without one.</summary>
public sealed record AuthenticationSession
{
    public string SessionCookieName { get; init; } = "AWSELBAuthSessionCookie";
    public string Scope { get; init; } = "openid";
    public long SessionTimeout { get; init; } = 604800;
    public ImmutableSortedDictionary<string, string>? AuthenticationRequestExtraParams { get; init; }
    /// <summary>deny, allow or authenticate.</summary>
    public string OnUnauthenticatedRequest { get; init; } = "authenticate";
}

public sealed record AuthenticateOidcConfig
{
    public required string Issuer { get; init; }
    public required string AuthorizationEndpoint { get; init; }
    public required string TokenEndpoint { get; init; }
    public required string UserInfoEndpoint { get; init; }
    public required string ClientId { get; init; }
    /// <summary>Stored so the action can run; the API never returns it.</summary>
    public string? ClientSecret { get; init; }
    public AuthenticationSession Session { get; init; } = new();
}

public sealed record AuthenticateCognitoConfig
{
    public required string UserPoolArn { get; init; }
    public required string UserPoolClientId { get; init; }
    public required string UserPoolDomain { get; init; }
    public AuthenticationSession Session { get; init; } = new();
}

public sealed record JwtValidationConfig
{
    public required string JwksEndpoint { get; init; }
    public required string Issuer { get; init; }
    public ImmutableArray<JwtClaimRequirement> AdditionalClaims { get; init; } = [];
}

/// <summary>A claim the token must carry. <see cref="Format"/> is single-string, string-array or space-separated-values.</summary>
public sealed record JwtClaimRequirement(string Format, string Name, ImmutableArray<string> Values);
