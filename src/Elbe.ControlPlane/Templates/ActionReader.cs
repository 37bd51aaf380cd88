using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Templates;

/// <summary>Listener and rule actions (DefaultActions / Actions items) to <see cref="RuleAction"/>s.</summary>
internal static class ActionReader
{
    private static readonly string[] Allowed =
        ["Type", "Order", "TargetGroupArn", "ForwardConfig", "RedirectConfig", "FixedResponseConfig", "AuthenticateOidcConfig", "AuthenticateCognitoConfig", "JwtValidationConfig"];

    public static List<RuleAction> ReadAll(PropertyReader parent, string key)
    {
        var actions = new List<RuleAction>();
        foreach (var a in parent.Objects(key, "Action", Allowed, required: true))
        {
            foreach (var unsupported in new[] { "AuthenticateOidcConfig", "AuthenticateCognitoConfig", "JwtValidationConfig" })
                if (a.Raw(unsupported) is { } value) a.Report(value, $"{unsupported} is not supported by Elbe.");
            var type = a.String("Type", required: true);
            if (type is null) continue;

            ForwardConfig? forward = null;
            if (a.Object("ForwardConfig", "ForwardConfig", ["TargetGroups", "TargetGroupStickinessConfig"]) is { } f)
            {
                var stickiness = f.Object("TargetGroupStickinessConfig", "TargetGroupStickinessConfig", ["Enabled", "DurationSeconds"]);
                forward = new ForwardConfig
                {
                    TargetGroups = [.. f.Objects("TargetGroups", "TargetGroupTuple", ["TargetGroupArn", "Weight"])
                        .Select(t => (Arn: t.String("TargetGroupArn", required: true), Weight: t.Int("Weight") ?? 1))
                        .Where(t => t.Arn is not null)
                        .Select(t => new WeightedTargetGroup(t.Arn!, t.Weight))],
                    StickinessEnabled = stickiness?.Bool("Enabled") ?? false,
                    StickinessDurationSeconds = stickiness?.Int("DurationSeconds"),
                };
            }

            RedirectConfig? redirect = null;
            if (a.Object("RedirectConfig", "RedirectConfig", ["Protocol", "Port", "Host", "Path", "Query", "StatusCode"]) is { } r
                && r.String("StatusCode", required: true) is { } redirectStatus)
            {
                var defaults = new RedirectConfig { StatusCode = redirectStatus };
                redirect = defaults with
                {
                    Protocol = r.String("Protocol") ?? defaults.Protocol,
                    Port = r.String("Port") ?? defaults.Port,
                    Host = r.String("Host") ?? defaults.Host,
                    Path = r.String("Path") ?? defaults.Path,
                    Query = r.String("Query") ?? defaults.Query,
                };
            }

            FixedResponseConfig? fixedResponse = null;
            if (a.Object("FixedResponseConfig", "FixedResponseConfig", ["StatusCode", "ContentType", "MessageBody"]) is { } x
                && x.String("StatusCode", required: true) is { } fixedStatus)
            {
                fixedResponse = new FixedResponseConfig { StatusCode = fixedStatus, ContentType = x.String("ContentType"), MessageBody = x.String("MessageBody") };
            }

            actions.Add(new RuleAction
            {
                Type = type,
                Order = a.Int("Order"),
                TargetGroupArn = a.String("TargetGroupArn"),
                Forward = forward,
                Redirect = redirect,
                FixedResponse = fixedResponse,
            });
        }
        return actions;
    }
}
