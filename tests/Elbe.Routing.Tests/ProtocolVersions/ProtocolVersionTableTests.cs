using Elbe.Routing.ProtocolVersions;

namespace Elbe.Routing.Tests.ProtocolVersions;

public class ProtocolVersionTableTests
{
    // Fact sheet 1.10, cell by cell.
    [Theory]
    [InlineData(TargetProtocolVersion.Http1, ClientProtocol.Http1, "GET", true)]
    [InlineData(TargetProtocolVersion.Http1, ClientProtocol.Http2, "GET", true)]
    [InlineData(TargetProtocolVersion.Http1, ClientProtocol.Grpc, "POST", false)]
    [InlineData(TargetProtocolVersion.Http2, ClientProtocol.Http1, "GET", false)]
    [InlineData(TargetProtocolVersion.Http2, ClientProtocol.Http1, "POST", false)]
    [InlineData(TargetProtocolVersion.Http2, ClientProtocol.Http2, "GET", true)]
    [InlineData(TargetProtocolVersion.Http2, ClientProtocol.Grpc, "POST", true)]
    [InlineData(TargetProtocolVersion.Grpc, ClientProtocol.Http1, "POST", false)]
    [InlineData(TargetProtocolVersion.Grpc, ClientProtocol.Http2, "GET", false)]
    [InlineData(TargetProtocolVersion.Grpc, ClientProtocol.Http2, "POST", true)]
    [InlineData(TargetProtocolVersion.Grpc, ClientProtocol.Grpc, "POST", true)]
    public void Admits_exactly_the_combinations_alb_forwards(TargetProtocolVersion group, ClientProtocol client, string method, bool admitted) =>
        Assert.Equal(admitted, ProtocolVersionTable.Admits(group, client, method));

    [Theory]
    [InlineData("HTTP/1.1", "application/grpc", ClientProtocol.Http1)]
    [InlineData("HTTP/1.0", null, ClientProtocol.Http1)]
    [InlineData("HTTP/2", null, ClientProtocol.Http2)]
    [InlineData("HTTP/2", "text/plain", ClientProtocol.Http2)]
    [InlineData("HTTP/2", "application/grpc", ClientProtocol.Grpc)]
    [InlineData("HTTP/2", "application/grpc+proto", ClientProtocol.Grpc)]
    [InlineData("HTTP/2", "Application/GRPC;charset=utf-8", ClientProtocol.Grpc)]
    [InlineData("HTTP/2", "application/grpc-web", ClientProtocol.Http2)]
    [InlineData("HTTP/2", "application/grpcx", ClientProtocol.Http2)]
    [InlineData("HTTP/3", "application/grpc", ClientProtocol.Grpc)]
    public void Classifies_requests_by_version_and_content_type(string protocol, string? contentType, ClientProtocol expected) =>
        Assert.Equal(expected, ClientProtocols.Classify(protocol, contentType));

    [Theory]
    [InlineData("HTTP1", TargetProtocolVersion.Http1)]
    [InlineData("HTTP2", TargetProtocolVersion.Http2)]
    [InlineData("GRPC", TargetProtocolVersion.Grpc)]
    [InlineData(null, TargetProtocolVersion.Http1)]
    public void Parses_the_api_spelling(string? text, TargetProtocolVersion expected)
    {
        Assert.Equal(expected, TargetProtocolVersions.Parse(text));
        Assert.Equal(expected != TargetProtocolVersion.Http1, expected.UsesHttp2());
    }
}
