using System.Net;
using Elbe.EndToEnd.Tests.Infrastructure;
using Grpc.Core;

namespace Elbe.EndToEnd.Tests.Grpc;

/// <summary>
/// gRPC end to end (fact sheet 1.10): a Grpc.Net.Client client over the HTTPS listener's HTTP/2, through the load
/// balancer, to Grpc.AspNetCore targets over HTTP/2 — every call kind, errors the load balancer answers itself as
/// gRPC statuses, and the protocol-version table's 464s.
/// </summary>
public sealed class GrpcTests(GrpcListenerFixture fixture) : IClassFixture<GrpcListenerFixture>
{
    [Fact]
    public async Task A_unary_call_reaches_the_grpc_target()
    {
        using var channel = fixture.Channel();
        var reply = await channel.CreateCallInvoker().AsyncUnaryCall(TestGrpcMethods.Echo, null, GrpcListenerFixture.Route(), "hello");
        Assert.Equal("rpc:hello", reply);
    }

    [Fact]
    public async Task A_server_streaming_call_receives_every_message()
    {
        using var channel = fixture.Channel();
        using var call = channel.CreateCallInvoker().AsyncServerStreamingCall(TestGrpcMethods.Countdown, null, GrpcListenerFixture.Route(), "5");
        var received = new List<string>();
        for (var i = 0; i < 10 && await call.ResponseStream.MoveNext(CancellationToken.None); i++)
            received.Add(call.ResponseStream.Current);
        Assert.Equal(["rpc:5", "rpc:4", "rpc:3", "rpc:2", "rpc:1"], received);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task A_client_streaming_call_delivers_every_message()
    {
        using var channel = fixture.Channel();
        using var call = channel.CreateCallInvoker().AsyncClientStreamingCall(TestGrpcMethods.Concat, null, GrpcListenerFixture.Route());
        foreach (var part in new[] { "a", "b", "c" })
            await call.RequestStream.WriteAsync(part);
        await call.RequestStream.CompleteAsync();
        Assert.Equal("rpc:a+b+c", await call.ResponseAsync);
    }

    [Fact]
    public async Task A_bidirectional_call_streams_both_ways_without_buffering()
    {
        using var channel = fixture.Channel();
        using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(TestGrpcMethods.Chat, null, GrpcListenerFixture.Route());
        // Each answer is read before the next message is sent: a proxy that buffered either direction would stall here.
        foreach (var message in new[] { "one", "two", "three" })
        {
            await call.RequestStream.WriteAsync(message);
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None), $"No answer to '{message}'.");
            Assert.Equal("rpc:" + message, call.ResponseStream.Current);
        }
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task An_https_grpc_group_carries_calls_over_tls_to_its_target()
    {
        using var channel = fixture.Channel();
        var reply = await channel.CreateCallInvoker().AsyncUnaryCall(TestGrpcMethods.Echo, null, GrpcListenerFixture.Route("secure"), "over tls");
        Assert.Equal("secure:over tls", reply);
    }

    [Fact]
    public async Task A_grpc_call_to_an_http2_group_reaches_a_target_that_speaks_grpc()
    {
        using var channel = fixture.Channel();
        var reply = await channel.CreateCallInvoker().AsyncUnaryCall(TestGrpcMethods.Echo, null, GrpcListenerFixture.Route("two"), "plain h2");
        Assert.Equal("two:plain h2", reply);
    }

    [Fact]
    public async Task A_group_without_targets_answers_unavailable_as_a_grpc_status()
    {
        using var channel = fixture.Channel();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await channel.CreateCallInvoker().AsyncUnaryCall(TestGrpcMethods.Echo, null, GrpcListenerFixture.Route("empty"), "anyone?"));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("503 Service Temporarily Unavailable", error.Status.Detail);
    }

    [Fact]
    public async Task A_target_that_refuses_the_connection_answers_unavailable_as_a_grpc_status()
    {
        using var channel = fixture.Channel();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await channel.CreateCallInvoker().AsyncUnaryCall(TestGrpcMethods.Echo, null, GrpcListenerFixture.Route("refused"), "hello"));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal("502 Bad Gateway", error.Status.Detail);
    }

    [Fact]
    public async Task A_request_refused_before_routing_is_a_grpc_status_too()
    {
        using var channel = fixture.Channel();
        var callsBefore = fixture.Rpc.Calls;
        // More than 30 addresses in X-Forwarded-For: ALB's 463, decided before any rule or target.
        var options = new CallOptions(
            headers: new Metadata { { "x-forwarded-for", string.Join(", ", Enumerable.Range(1, 31).Select(i => $"10.0.0.{i}")) } },
            deadline: DateTime.UtcNow.AddSeconds(15));
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await channel.CreateCallInvoker().AsyncUnaryCall(TestGrpcMethods.Echo, null, options, "hello"));
        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Equal("463 Bad Request", error.Status.Detail);
        Assert.Equal(callsBefore, fixture.Rpc.Calls);
    }

    [Fact]
    public async Task A_grpc_call_to_an_http1_group_gets_464_as_a_grpc_status()
    {
        using var channel = fixture.Channel();
        var callsBefore = fixture.Plain.Calls + fixture.Plain.PlainRequests;
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await channel.CreateCallInvoker().AsyncUnaryCall(TestGrpcMethods.Echo, null, GrpcListenerFixture.Route("plain"), "hello"));
        // gRPC's HTTP table has no entry for 464, so it is UNKNOWN; the message keeps ALB's status.
        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Equal("464 Bad Request", error.Status.Detail);
        Assert.Equal(callsBefore, fixture.Plain.Calls + fixture.Plain.PlainRequests);
    }

    [Fact]
    public async Task An_http1_request_to_the_grpc_group_gets_464()
    {
        using var client = fixture.HttpClient(HttpVersion.Version11);
        using var response = await client.PostAsync("/elbe.test.Echo/Echo", new ByteArrayContent([0, 0, 0, 0, 0]));
        Assert.Equal(new Version(1, 1), response.Version);
        Assert.Equal(464, (int)response.StatusCode);
        Assert.Contains("464", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_http2_get_to_the_grpc_group_gets_464_and_an_http2_post_is_forwarded()
    {
        using var client = fixture.HttpClient(HttpVersion.Version20);
        using (var get = await client.GetAsync("/anything"))
        {
            Assert.Equal(new Version(2, 0), get.Version);
            Assert.Equal(464, (int)get.StatusCode);
        }
        using var post = await client.PostAsync("/anything", new StringContent("x"));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal("backend=rpc protocol=HTTP/2 https=False", await post.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Http2_clients_reach_http1_groups_over_http1_and_http2_groups_over_http2()
    {
        using var client = fixture.HttpClient(HttpVersion.Version20);
        using (var plain = await client.SendAsync(Routed(HttpVersion.Version20, "plain")))
        {
            Assert.Equal(new Version(2, 0), plain.Version);
            Assert.Equal("backend=plain protocol=HTTP/1.1 https=False", await plain.Content.ReadAsStringAsync());
        }
        using (var two = await client.SendAsync(Routed(HttpVersion.Version20, "two")))
            Assert.Equal("backend=two protocol=HTTP/2 https=False", await two.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_http1_request_to_an_http2_group_gets_464()
    {
        using var client = fixture.HttpClient(HttpVersion.Version11);
        using var response = await client.SendAsync(Routed(HttpVersion.Version11, "two"));
        Assert.Equal(new Version(1, 1), response.Version);
        Assert.Equal(464, (int)response.StatusCode);
    }

    [Fact]
    public async Task Tls_to_targets_follows_the_back_end_policy_the_listener_policy_selects()
    {
        // ELBSecurityPolicy-2016-08 (behind default listeners) stops at TLS 1.2; behind a TLS 1.3 listener policy ALB
        // uses ELBSecurityPolicy-TLS13-1-0-2021-06, which offers TLS 1.3.
        using var client = fixture.HttpClient(HttpVersion.Version11);
        using (var viaDefault = await client.SendAsync(Routed(HttpVersion.Version11, "secureplain")))
        {
            Assert.Equal("backend=secure protocol=HTTP/1.1 https=True", await viaDefault.Content.ReadAsStringAsync());
            Assert.Equal("Tls12", viaDefault.Headers.GetValues("X-Tls-Protocol").Single());
        }

        using var strictClient = fixture.HttpClient(HttpVersion.Version11, GrpcListenerFixture.Tls13Port);
        using var viaStrict = await strictClient.GetAsync("/page");
        Assert.Equal("backend=secure protocol=HTTP/1.1 https=True", await viaStrict.Content.ReadAsStringAsync());
        Assert.Equal("Tls13", viaStrict.Headers.GetValues("X-Tls-Protocol").Single());
    }

    /// <summary>A GET of /page in exactly this HTTP version, routed by the x-route header (a message's version is its own, not the client's default).</summary>
    private static HttpRequestMessage Routed(Version version, string route)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/page") { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Add(GrpcListenerFixture.RouteHeader, route);
        return request;
    }
}
