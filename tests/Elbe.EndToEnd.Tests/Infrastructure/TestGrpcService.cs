using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The target side of <see cref="TestGrpcMethods"/>. Grpc.AspNetCore binds each descriptor to the public virtual
/// method of the same name declared by the binding type (what generated base classes provide), so the methods
/// are virtual and the class is that binding type itself.
/// </summary>
[BindServiceMethod(typeof(TestGrpcService), nameof(BindService))]
public class TestGrpcService(GrpcBackend backend)
{
    private const int MaxMessages = 1000;

    public static void BindService(ServiceBinderBase binder, TestGrpcService? service)
    {
        binder.AddMethod(TestGrpcMethods.Echo, (UnaryServerMethod<string, string>?)null);
        binder.AddMethod(TestGrpcMethods.Countdown, (ServerStreamingServerMethod<string, string>?)null);
        binder.AddMethod(TestGrpcMethods.Concat, (ClientStreamingServerMethod<string, string>?)null);
        binder.AddMethod(TestGrpcMethods.Chat, (DuplexStreamingServerMethod<string, string>?)null);
        binder.AddMethod(TestGrpcMethods.Check, (UnaryServerMethod<string, string>?)null);
    }

    public virtual Task<string> Echo(string request, ServerCallContext context)
    {
        backend.CountCall();
        return Task.FromResult($"{backend.Name}:{request}");
    }

    public virtual async Task Countdown(string request, IServerStreamWriter<string> responses, ServerCallContext context)
    {
        backend.CountCall();
        var count = Math.Clamp(int.Parse(request, System.Globalization.CultureInfo.InvariantCulture), 0, MaxMessages);
        for (var i = count; i > 0; i--)
            await responses.WriteAsync($"{backend.Name}:{i}", context.CancellationToken);
    }

    public virtual async Task<string> Concat(IAsyncStreamReader<string> requests, ServerCallContext context)
    {
        backend.CountCall();
        var parts = new List<string>();
        while (parts.Count < MaxMessages && await requests.MoveNext(context.CancellationToken))
            parts.Add(requests.Current);
        return $"{backend.Name}:{string.Join('+', parts)}";
    }

    public virtual async Task Chat(IAsyncStreamReader<string> requests, IServerStreamWriter<string> responses, ServerCallContext context)
    {
        backend.CountCall();
        for (var i = 0; i < MaxMessages && await requests.MoveNext(context.CancellationToken); i++)
            await responses.WriteAsync($"{backend.Name}:{requests.Current}", context.CancellationToken);
    }

    public virtual Task<string> Check(string request, ServerCallContext context)
    {
        backend.CountHealthCheck(context.GetHttpContext());
        if (!backend.Healthy) throw new RpcException(new Status(StatusCode.Unavailable, "switched off by the test"));
        return Task.FromResult("SERVING");
    }
}
