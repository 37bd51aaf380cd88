using Elbe.Api.Tests.Infrastructure;

namespace Elbe.Api.Tests.LoadBalancers;

/// <summary>The few calls load balancer and listener tests keep making, with what their answers are read for.</summary>
public static class LoadBalancerCalls
{
    public static async Task<ApiResponse> CreateAsync(SignedApiClient client, string name, string? type = null, Action<ApiRequestParameters>? more = null)
    {
        var p = new ApiRequestParameters().Add("Name", name);
        if (type is not null) p.Add("Type", type);
        more?.Invoke(p);
        return await client.CallAsync("CreateLoadBalancer", p);
    }

    /// <summary>Creates a load balancer in every subnet of the server and returns its ARN.</summary>
    public static async Task<string> CreateArnAsync(SignedApiClient client, string name, string? type = null, Action<ApiRequestParameters>? more = null) =>
        (await CreateAsync(client, name, type, more)).AssertSuccess("CreateLoadBalancer").Value("LoadBalancerArn")!;

    public static async Task<ApiResponse> CreateListenerAsync(SignedApiClient client, string loadBalancerArn, string? protocol, int? port, Action<ApiRequestParameters>? more = null)
    {
        var p = new ApiRequestParameters().Add("LoadBalancerArn", loadBalancerArn);
        if (protocol is not null) p.Add("Protocol", protocol);
        if (port is not null) p.Add("Port", port.Value);
        if (more is null) FixedResponse(p);
        else more(p);
        return await client.CallAsync("CreateListener", p);
    }

    /// <summary>DefaultActions: one fixed-response 200 with a plain-text body.</summary>
    public static ApiRequestParameters FixedResponse(ApiRequestParameters p, string body = "hello from elbe") =>
        p.StructList("DefaultActions", a => a.Add("Type", "fixed-response").Struct("FixedResponseConfig", f => f
            .Add("StatusCode", "200").Add("ContentType", "text/plain").Add("MessageBody", body)));

    /// <summary>DefaultActions: forward to one target group.</summary>
    public static ApiRequestParameters Forward(ApiRequestParameters p, string targetGroupArn) =>
        p.StructList("DefaultActions", a => a.Add("Type", "forward").Add("TargetGroupArn", targetGroupArn));

    public static async Task<string> CreateTargetGroupAsync(SignedApiClient client, string name, string protocol, int port)
    {
        var p = new ApiRequestParameters().Add("Name", name).Add("Protocol", protocol).Add("Port", port).Add("VpcId", Elbe.Model.Resources.Zones.DefaultVpcId);
        if (protocol == "GENEVE") p.Add("HealthCheckProtocol", "TCP");
        return (await client.CallAsync("CreateTargetGroup", p)).AssertSuccess("CreateTargetGroup").Value("TargetGroupArn")!;
    }

    /// <summary>Key → Value of an Attributes list answer.</summary>
    public static Dictionary<string, string> Attributes(ApiResponse response) =>
        response.Members("Attributes").ToDictionary(m => ApiResponse.Child(m, "Key")!, m => ApiResponse.Child(m, "Value") ?? "");

    public static ApiRequestParameters AttributeList(this ApiRequestParameters p, params (string Key, string Value)[] attributes) =>
        p.StructList("Attributes", attributes.Select(a => (Action<ApiRequestParameters>)(x => x.Add("Key", a.Key).Add("Value", a.Value))));
}
