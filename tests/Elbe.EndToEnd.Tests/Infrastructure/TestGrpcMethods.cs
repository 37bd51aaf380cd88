using System.Text;
using Grpc.Core;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A small gRPC service described by hand (no .proto, no code generation): UTF-8 string messages and one method of
/// each call kind, plus a health method whose answer a test controls. Client and target share these descriptors.
/// </summary>
public static class TestGrpcMethods
{
    public const string ServiceName = "elbe.test.Echo";
    public const string HealthServiceName = "elbe.test.Probe";

    private static readonly Marshaller<string> Utf8 = Marshallers.Create(
        text => Encoding.UTF8.GetBytes(text),
        bytes => Encoding.UTF8.GetString(bytes));

    /// <summary>Unary: answers "{backend}:{request}".</summary>
    public static readonly Method<string, string> Echo = new(MethodType.Unary, ServiceName, nameof(Echo), Utf8, Utf8);

    /// <summary>Server streaming: the request is a count n; answers n messages "{backend}:{i}".</summary>
    public static readonly Method<string, string> Countdown = new(MethodType.ServerStreaming, ServiceName, nameof(Countdown), Utf8, Utf8);

    /// <summary>Client streaming: answers "{backend}:" and every request joined with '+'.</summary>
    public static readonly Method<string, string> Concat = new(MethodType.ClientStreaming, ServiceName, nameof(Concat), Utf8, Utf8);

    /// <summary>Bidirectional streaming: answers each message with "{backend}:{message}" as it arrives.</summary>
    public static readonly Method<string, string> Chat = new(MethodType.DuplexStreaming, ServiceName, nameof(Chat), Utf8, Utf8);

    /// <summary>Unary health method: OK while the backend is healthy, UNAVAILABLE otherwise.</summary>
    public static readonly Method<string, string> Check = new(MethodType.Unary, HealthServiceName, nameof(Check), Utf8, Utf8);

    public static string CheckPath => "/" + HealthServiceName + "/" + nameof(Check);
}
