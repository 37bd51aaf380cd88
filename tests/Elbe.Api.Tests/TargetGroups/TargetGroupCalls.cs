using Elbe.Api.Tests.Infrastructure;
using Elbe.Model.Resources;

namespace Elbe.Api.Tests.TargetGroups;

/// <summary>Target group calls the target group, target and rule tests share.</summary>
public static class TargetGroupCalls
{
    public static ApiRequestParameters Group(string name, string? protocol = "HTTP", int? port = 80, string? targetType = null)
    {
        var p = new ApiRequestParameters().Add("Name", name);
        if (protocol is not null) p.Add("Protocol", protocol);
        if (port is not null) p.Add("Port", port.Value);
        if (protocol is not null) p.Add("VpcId", Zones.DefaultVpcId);
        if (targetType is not null) p.Add("TargetType", targetType);
        return p;
    }

    public static async Task<string> CreateAsync(SignedApiClient client, ApiRequestParameters parameters) =>
        (await client.CallAsync("CreateTargetGroup", parameters)).AssertSuccess("CreateTargetGroup").Value("TargetGroupArn")!;

    public static Task<string> CreateAsync(SignedApiClient client, string name, string protocol = "HTTP", int port = 80, string? targetType = null) =>
        CreateAsync(client, Group(name, protocol, port, targetType));

    /// <summary>The one target group of a CreateTargetGroup/DescribeTargetGroups answer, as element name → text (top-level members only).</summary>
    public static Dictionary<string, string> Fields(System.Xml.Linq.XElement member) =>
        member.Elements().ToDictionary(e => e.Name.LocalName, e => e.HasElements ? e.ToString() : e.Value);

    public static ApiRequestParameters Targets(this ApiRequestParameters p, params (string Id, int? Port)[] targets) =>
        p.StructList("Targets", targets.Select(t => (Action<ApiRequestParameters>)(x =>
        {
            x.Add("Id", t.Id);
            if (t.Port is { } port) x.Add("Port", port);
        })));
}
