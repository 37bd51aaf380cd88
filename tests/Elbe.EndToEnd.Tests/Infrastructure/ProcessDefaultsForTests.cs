using System.Runtime.CompilerServices;
using Elbe.DataPlane.Listeners;
using Elbe.DataPlane.Listeners.Tls;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The servers these tests start live in the test process, so the process must do what the elbe command does
/// first thing: OpenSSL's defaults (TLS 1.0/1.1 where a policy allows them, ALB's cipher lists) and socket
/// continuations run inline, so the suite runs the listeners as production does. Both have to happen before any
/// test touches cryptography or a socket, hence a module initializer.
/// </summary>
internal static class ProcessDefaultsForTests
{
#pragma warning disable CA2255 // A test assembly is the one place a module initializer is the right tool.
    [ModuleInitializer]
    internal static void Enable()
    {
        ProcessTlsDefaults.Enable();
        InlineSocketCompletions.Enable();
    }
#pragma warning restore CA2255
}
