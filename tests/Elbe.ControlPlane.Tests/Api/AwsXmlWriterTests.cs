using System.Xml.Linq;
using Elbe.ControlPlane.Api;

namespace Elbe.ControlPlane.Tests.Api;

public sealed class AwsXmlWriterTests
{
    private const string RequestId = "9a2b2c3d-0000-4000-8000-000000000001";
    private static readonly XNamespace Ns = ApiActionTable.Elbv2Namespace;

    private static XElement Respond(string action, Action<AwsXmlWriter>? result) =>
        XElement.Parse(AwsXmlWriter.Response(action, ApiActionTable.Elbv2Namespace, RequestId, result));

    [Fact]
    public void A_response_is_action_response_with_result_then_metadata_in_the_api_namespace()
    {
        var root = Respond("DescribeLoadBalancers", w => w.Value("NextMarker", "m"));

        Assert.Equal(Ns + "DescribeLoadBalancersResponse", root.Name);
        Assert.Equal([Ns + "DescribeLoadBalancersResult", Ns + "ResponseMetadata"], root.Elements().Select(e => e.Name));
        Assert.Equal("m", root.Element(Ns + "DescribeLoadBalancersResult")!.Element(Ns + "NextMarker")!.Value);
        Assert.Equal(RequestId, root.Element(Ns + "ResponseMetadata")!.Element(Ns + "RequestId")!.Value);
    }

    [Fact]
    public void An_empty_result_still_has_its_result_element()
    {
        var root = Respond("DeleteLoadBalancer", null);

        var result = root.Element(Ns + "DeleteLoadBalancerResult");
        Assert.NotNull(result);
        Assert.False(result.HasElements);
    }

    [Fact]
    public void The_classic_namespace_is_used_when_asked()
    {
        var root = XElement.Parse(AwsXmlWriter.Response("DescribeLoadBalancers", ApiActionTable.ClassicNamespace, RequestId, null));

        Assert.Equal(ApiActionTable.ClassicNamespace, root.Name.NamespaceName);
        Assert.Equal(ApiActionTable.ClassicNamespace, ApiActionTable.NamespaceFor("2012-06-01"));
        Assert.Equal(ApiActionTable.Elbv2Namespace, ApiActionTable.NamespaceFor(null));
    }

    [Fact]
    public void Scalars_are_written_in_aws_formats_and_nulls_left_out()
    {
        var result = Respond("X", w => w
            .Value("Text", "a")
            .Value("Int", 80)
            .Value("Long", 5_000_000_000L)
            .Value("True", true)
            .Value("False", false)
            .Value("Created", new DateTimeOffset(2024, 1, 2, 4, 4, 5, 678, TimeSpan.FromHours(1)))
            .Value("NullText", (string?)null)
            .Value("NullInt", (int?)null)
            .Value("NullBool", (bool?)null)
            .Value("NullTime", (DateTimeOffset?)null)).Element(Ns + "XResult")!;

        Assert.Equal(["Text", "Int", "Long", "True", "False", "Created"], result.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(["a", "80", "5000000000", "true", "false", "2024-01-02T03:04:05.678Z"], result.Elements().Select(e => e.Value));
    }

    [Fact]
    public void Text_is_escaped()
    {
        var xml = AwsXmlWriter.Response("X", ApiActionTable.Elbv2Namespace, RequestId, w => w.Value("PathPattern", "/a?b=1&c=<2>"));

        Assert.Contains("/a?b=1&amp;c=&lt;2&gt;", xml);
        Assert.Equal("/a?b=1&c=<2>", XElement.Parse(xml).Descendants(Ns + "PathPattern").Single().Value);
    }

    [Fact]
    public void Lists_wrap_items_in_member_and_empty_lists_are_empty_elements()
    {
        var result = Respond("X", w => w
            .StringList("SecurityGroups", [])
            .StringList("Subnets", ["a", "b"])
            .List("TargetGroups", [("arn-1", 80), ("arn-2", 81)], (m, tg) => m.Value("TargetGroupArn", tg.Item1).Value("Port", tg.Item2).Struct("Matcher", s => s.Value("HttpCode", "200")))
            .List("LoadBalancerArns", Array.Empty<string>(), (m, arn) => m.Value("X", arn))).Element(Ns + "XResult")!;

        Assert.False(result.Element(Ns + "SecurityGroups")!.HasElements);
        Assert.False(result.Element(Ns + "LoadBalancerArns")!.HasElements);
        Assert.Equal(["a", "b"], result.Element(Ns + "Subnets")!.Elements(Ns + "member").Select(e => e.Value));
        var groups = result.Element(Ns + "TargetGroups")!.Elements(Ns + "member").ToList();
        Assert.Equal(2, groups.Count);
        Assert.Equal("arn-2", groups[1].Element(Ns + "TargetGroupArn")!.Value);
        Assert.Equal("81", groups[1].Element(Ns + "Port")!.Value);
        Assert.Equal("200", groups[0].Element(Ns + "Matcher")!.Element(Ns + "HttpCode")!.Value);
    }

    [Fact]
    public void Maps_are_entry_key_value_pairs()
    {
        var result = Respond("X", w => w.Map("Params", [new("prompt", "login"), new("a&b", "")])).Element(Ns + "XResult")!;

        var entries = result.Element(Ns + "Params")!.Elements(Ns + "entry").ToList();
        Assert.Equal(["prompt", "a&b"], entries.Select(e => e.Element(Ns + "key")!.Value));
        Assert.Equal(["login", ""], entries.Select(e => e.Element(Ns + "value")!.Value));
    }

    [Fact]
    public void An_error_document_has_type_code_message_and_request_id()
    {
        var root = XElement.Parse(AwsXmlWriter.Error(new ApiException("LoadBalancerNotFound", "One or more load balancers not found"), ApiActionTable.Elbv2Namespace, RequestId));

        Assert.Equal(Ns + "ErrorResponse", root.Name);
        var error = root.Element(Ns + "Error")!;
        Assert.Equal(["Type", "Code", "Message"], error.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(["Sender", "LoadBalancerNotFound", "One or more load balancers not found"], error.Elements().Select(e => e.Value));
        Assert.Equal(RequestId, root.Element(Ns + "RequestId")!.Value);
    }

    [Fact]
    public void Server_errors_are_of_type_receiver()
    {
        var root = XElement.Parse(AwsXmlWriter.Error(new ApiException("InternalFailure", "x < y & z", 500), ApiActionTable.Elbv2Namespace, RequestId));

        Assert.Equal("Receiver", root.Descendants(Ns + "Type").Single().Value);
        Assert.Equal("x < y & z", root.Descendants(Ns + "Message").Single().Value);
    }

    [Fact]
    public void No_xml_declaration_is_written() =>
        Assert.StartsWith("<XResponse", AwsXmlWriter.Response("X", ApiActionTable.Elbv2Namespace, RequestId, null));
}
