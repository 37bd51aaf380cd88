namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>YAML snippets for the listener actions tests use most, in CloudFormation's property names.</summary>
public static class CfnActions
{
    public static string Forward(string targetGroup) =>
        $"""
        - Type: forward
          TargetGroupArn: !Ref {targetGroup}
        """;

    public static string FixedResponse(int statusCode, string body, string contentType = "text/plain") =>
        $"""
        - Type: fixed-response
          FixedResponseConfig:
            StatusCode: '{statusCode}'
            ContentType: {contentType}
            MessageBody: {CfnTemplate.Quote(body)}
        """;

    public static string WeightedForward(IEnumerable<(string TargetGroup, int Weight)> targetGroups, int? stickinessSeconds = null)
    {
        var groups = string.Concat(targetGroups.Select(g =>
            $"      - TargetGroupArn: !Ref {g.TargetGroup}\n        Weight: {g.Weight}\n"));
        var stickiness = stickinessSeconds is { } seconds
            ? $"    TargetGroupStickinessConfig:\n      Enabled: true\n      DurationSeconds: {seconds}\n"
            : "";
        return "- Type: forward\n  ForwardConfig:\n    TargetGroups:\n" + groups + stickiness;
    }
}
