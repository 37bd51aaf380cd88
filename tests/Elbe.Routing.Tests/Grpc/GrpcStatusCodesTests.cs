using Elbe.Routing.Grpc;

namespace Elbe.Routing.Tests.Grpc;

public class GrpcStatusCodesTests
{
    [Theory]
    [InlineData(400, GrpcStatusCodes.Internal)]
    [InlineData(401, GrpcStatusCodes.Unauthenticated)]
    [InlineData(403, GrpcStatusCodes.PermissionDenied)]
    [InlineData(404, GrpcStatusCodes.Unimplemented)]
    [InlineData(429, GrpcStatusCodes.Unavailable)]
    [InlineData(502, GrpcStatusCodes.Unavailable)]
    [InlineData(503, GrpcStatusCodes.Unavailable)]
    [InlineData(504, GrpcStatusCodes.Unavailable)]
    [InlineData(464, GrpcStatusCodes.Unknown)]
    [InlineData(200, GrpcStatusCodes.Unknown)]
    [InlineData(500, GrpcStatusCodes.Unknown)]
    public void Http_statuses_map_as_grpc_clients_map_them(int http, int grpc) =>
        Assert.Equal(grpc, GrpcStatusCodes.FromHttpStatus(http));
}
