using System.Collections.Immutable;
using System.Globalization;
using Elbe.Model.Resources;

namespace Elbe.Model.Validation;

/// <summary>
/// Checks a rule's (or a listener's default) action list: one terminal action last by Order, at most one
/// authenticate action before it, and each action's own configuration.
/// </summary>
public static class ActionValidator
{
    public const int MinOrder = 1;
    public const int MaxOrder = 50000;
    public const int MaxTargetGroupsPerForward = 5;
    public const int MaxWeight = 999;
    public const int MaxStickinessSeconds = 604800;
    public const int MaxRedirectPartLength = 128;
    public const int MaxMessageBodyLength = 1024;

    private const string JwtValidation = "jwt-validation";

    private static readonly string[] ContentTypes = ["text/plain", "text/css", "text/html", "application/javascript", "application/json"];

    /// <param name="listenerProtocol">
    /// HTTP or HTTPS when known. Authenticate actions and the HTTPS→HTTP redirect check depend on it and are
    /// skipped when it is null.
    /// </param>
    /// <param name="pathPrefix"><c>Actions</c> or <c>DefaultActions</c>.</param>
    public static void Check(ImmutableArray<RuleAction> actions, string? listenerProtocol, string? arn, string pathPrefix, ValidationErrorList errors)
    {
        if (actions.IsDefaultOrEmpty)
        {
            errors.Add(ErrorCodes.ValidationError, "At least one action must be specified", arn, pathPrefix);
            return;
        }

        var terminalCount = 0;
        var authCount = 0;
        var orders = new HashSet<int>();
        for (var i = 0; i < actions.Length; i++)
        {
            var a = actions[i];
            var at = $"{pathPrefix}[{i}]";
            if (a.Order is { } order)
            {
                if (order is < MinOrder or > MaxOrder)
                    errors.Add(ErrorCodes.ValidationError, $"Action order must be between {MinOrder} and {MaxOrder}; '{order}' is not valid", arn, at + ".Order");
                else if (!orders.Add(order))
                    errors.Add(ErrorCodes.ValidationError, $"Action order {order} is used by more than one action", arn, at + ".Order");
            }
            else if (actions.Length > 1)
            {
                errors.Add(ErrorCodes.ValidationError, "Order must be specified for every action when there is more than one", arn, at + ".Order");
            }

            switch (a.Type)
            {
                case ActionTypes.Forward:
                    terminalCount++;
                    CheckForward(a, arn, at, errors);
                    break;
                case ActionTypes.Redirect:
                    terminalCount++;
                    CheckRedirect(a.Redirect, listenerProtocol, arn, at, errors);
                    break;
                case ActionTypes.FixedResponse:
                    terminalCount++;
                    CheckFixedResponse(a.FixedResponse, arn, at, errors);
                    break;
                case ActionTypes.AuthenticateOidc or ActionTypes.AuthenticateCognito or JwtValidation:
                    authCount++;
                    if (listenerProtocol is not null && listenerProtocol != "HTTPS")
                        errors.Add(ErrorCodes.InvalidConfigurationRequest, $"Actions of type '{a.Type}' are supported only on HTTPS listeners", arn, at + ".Type");
                    break;
                default:
                    errors.Add(ErrorCodes.ValidationError, $"Action type '{a.Type}' is not valid; use one of forward, redirect, fixed-response, authenticate-oidc, authenticate-cognito, jwt-validation", arn, at + ".Type");
                    break;
            }
        }

        if (terminalCount == 0)
            errors.Add(ErrorCodes.InvalidLoadBalancerAction, "The action list must include exactly one forward, redirect or fixed-response action", arn, pathPrefix);
        else if (terminalCount > 1 || authCount > 1)
            errors.Add(ErrorCodes.TooManyActions, "An action list can have only one forward, redirect or fixed-response action and at most one authenticate action", arn, pathPrefix);
        else if (!TerminalIsLast(actions))
            errors.Add(ErrorCodes.InvalidLoadBalancerAction, "The forward, redirect or fixed-response action must be the last action (highest Order)", arn, pathPrefix);
    }

    private static bool IsTerminal(string type) => type is ActionTypes.Forward or ActionTypes.Redirect or ActionTypes.FixedResponse;

    private static bool TerminalIsLast(ImmutableArray<RuleAction> actions)
    {
        if (actions.Length == 1) return true;
        var terminal = actions.First(a => IsTerminal(a.Type));
        if (terminal.Order is not { } terminalOrder) return true; // already reported as a missing Order
        foreach (var a in actions)
            if (!ReferenceEquals(a, terminal) && a.Order is { } o && o > terminalOrder) return false;
        return true;
    }

    private static void CheckForward(RuleAction a, string? arn, string at, ValidationErrorList errors)
    {
        var tuples = a.Forward?.TargetGroups ?? [];
        if (a.TargetGroupArn is null && tuples.Length == 0)
        {
            errors.Add(ErrorCodes.ValidationError, "A forward action must specify TargetGroupArn or ForwardConfig with at least one target group", arn, at);
            return;
        }
        // Both forms are accepted only when they name the same single target group, as AWS does.
        if (a.TargetGroupArn is not null && tuples.Length > 0 && !(tuples.Length == 1 && tuples[0].TargetGroupArn == a.TargetGroupArn))
            errors.Add(ErrorCodes.ValidationError, "TargetGroupArn and ForwardConfig must name the same single target group when both are given", arn, at + ".TargetGroupArn");

        if (tuples.Length > MaxTargetGroupsPerForward)
            errors.Add(ErrorCodes.TooManyTargetGroups, $"A forward action can have at most {MaxTargetGroupsPerForward} target groups", arn, at + ".ForwardConfig.TargetGroups");

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < tuples.Length; j++)
        {
            var t = tuples[j];
            var tAt = $"{at}.ForwardConfig.TargetGroups[{j}]";
            if (string.IsNullOrEmpty(t.TargetGroupArn))
                errors.Add(ErrorCodes.ValidationError, "Each target group in ForwardConfig needs a TargetGroupArn", arn, tAt + ".TargetGroupArn");
            else if (!seen.Add(t.TargetGroupArn))
                errors.Add(ErrorCodes.ValidationError, $"Target group '{t.TargetGroupArn}' appears more than once in ForwardConfig", arn, tAt + ".TargetGroupArn");
            if (t.Weight is < 0 or > MaxWeight)
                errors.Add(ErrorCodes.ValidationError, $"Target group weight must be between 0 and {MaxWeight}; '{t.Weight}' is not valid", arn, tAt + ".Weight");
        }

        if (a.Forward is { StickinessEnabled: true } f)
        {
            var dAt = at + ".ForwardConfig.TargetGroupStickinessConfig.DurationSeconds";
            if (f.StickinessDurationSeconds is not { } d)
                errors.Add(ErrorCodes.ValidationError, "DurationSeconds is required when target group stickiness is enabled", arn, dAt);
            else if (d is < 1 or > MaxStickinessSeconds)
                errors.Add(ErrorCodes.ValidationError, $"Target group stickiness duration must be between 1 and {MaxStickinessSeconds} seconds; '{d}' is not valid", arn, dAt);
        }
    }

    private static void CheckRedirect(RedirectConfig? r, string? listenerProtocol, string? arn, string at, ValidationErrorList errors)
    {
        if (r is null)
        {
            errors.Add(ErrorCodes.InvalidLoadBalancerAction, "A redirect action needs a RedirectConfig", arn, at + ".RedirectConfig");
            return;
        }
        at += ".RedirectConfig";
        if (r.StatusCode is not ("HTTP_301" or "HTTP_302"))
            errors.Add(ErrorCodes.ValidationError, $"Redirect status code must be HTTP_301 or HTTP_302; '{r.StatusCode}' is not valid", arn, at + ".StatusCode");
        if (r.Protocol is not ("HTTP" or "HTTPS" or "#{protocol}"))
            errors.Add(ErrorCodes.ValidationError, $"Redirect protocol must be HTTP, HTTPS or #{{protocol}}; '{r.Protocol}' is not valid", arn, at + ".Protocol");
        if (r.Port != "#{port}" && !(int.TryParse(r.Port, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535))
            errors.Add(ErrorCodes.ValidationError, $"Redirect port must be 1-65535 or #{{port}}; '{r.Port}' is not valid", arn, at + ".Port");
        if (r.Host.Length is < 1 or > MaxRedirectPartLength)
            errors.Add(ErrorCodes.ValidationError, $"Redirect host must be 1 to {MaxRedirectPartLength} characters", arn, at + ".Host");
        if (r.Path.Length is < 1 or > MaxRedirectPartLength || r.Path[0] != '/')
            errors.Add(ErrorCodes.ValidationError, $"Redirect path must be 1 to {MaxRedirectPartLength} characters and start with '/'", arn, at + ".Path");
        if (r.Query.Length > MaxRedirectPartLength)
            errors.Add(ErrorCodes.ValidationError, $"Redirect query cannot be longer than {MaxRedirectPartLength} characters", arn, at + ".Query");
        else if (r.Query.StartsWith('?'))
            errors.Add(ErrorCodes.ValidationError, "Redirect query must not start with '?'; it is added automatically", arn, at + ".Query");

        // A redirect that keeps protocol, host, port and path sends the client back to the same URL forever.
        if (r.Protocol == "#{protocol}" && r.Port == "#{port}" && r.Host == "#{host}" && r.Path == "/#{path}")
            errors.Add(ErrorCodes.InvalidLoadBalancerAction, "The redirect would loop: it must change at least one of protocol, host, port or path", arn, at);
        if (listenerProtocol == "HTTPS" && r.Protocol == "HTTP")
            errors.Add(ErrorCodes.InvalidLoadBalancerAction, "A redirect on an HTTPS listener cannot downgrade to HTTP", arn, at + ".Protocol");
    }

    private static void CheckFixedResponse(FixedResponseConfig? f, string? arn, string at, ValidationErrorList errors)
    {
        if (f is null)
        {
            errors.Add(ErrorCodes.InvalidLoadBalancerAction, "A fixed-response action needs a FixedResponseConfig", arn, at + ".FixedResponseConfig");
            return;
        }
        at += ".FixedResponseConfig";
        var s = f.StatusCode;
        if (s is not { Length: 3 } || s[0] is not ('2' or '4' or '5') || !char.IsAsciiDigit(s[1]) || !char.IsAsciiDigit(s[2]))
            errors.Add(ErrorCodes.ValidationError, $"Fixed response status code must be a 2XX, 4XX or 5XX code; '{s}' is not valid", arn, at + ".StatusCode");
        if (f.ContentType is { } ct && Array.IndexOf(ContentTypes, ct) < 0)
            errors.Add(ErrorCodes.ValidationError, $"Fixed response content type must be one of {string.Join(", ", ContentTypes)}; '{ct}' is not valid", arn, at + ".ContentType");
        if (f.MessageBody is { Length: > MaxMessageBodyLength })
            errors.Add(ErrorCodes.ValidationError, $"Fixed response message body cannot be longer than {MaxMessageBodyLength} characters", arn, at + ".MessageBody");
    }
}
