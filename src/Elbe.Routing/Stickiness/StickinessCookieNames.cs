namespace Elbe.Routing.Stickiness;

/// <summary>The cookie names ALB uses for stickiness (fact sheet 1.5, 1.8).</summary>
public static class StickinessCookieNames
{
    public const string Lb = "AWSALB";
    public const string LbCors = "AWSALBCORS";
    public const string TargetGroup = "AWSALBTG";
    public const string TargetGroupCors = "AWSALBTGCORS";
    public const string AppPrefix = "AWSALBAPP-";

    /// <summary>AWSALBAPP-0 … AWSALBAPP-3; the cookie is sharded at 4 KB, 16 KB at most.</summary>
    public static readonly IReadOnlyList<string> AppShards = ["AWSALBAPP-0", "AWSALBAPP-1", "AWSALBAPP-2", "AWSALBAPP-3"];
}
