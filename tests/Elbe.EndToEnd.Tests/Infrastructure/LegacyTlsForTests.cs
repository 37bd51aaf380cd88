using System.Runtime.CompilerServices;
using Elbe.DataPlane.Listeners.Tls;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The servers these tests start live in the test process, so the process must do what the elbe command does
/// first thing: let OpenSSL negotiate TLS 1.0/1.1 where a policy allows them. It has to happen before any test
/// touches cryptography, hence a module initializer.
/// </summary>
internal static class LegacyTlsForTests
{
#pragma warning disable CA2255 // A test assembly is the one place a module initializer is the right tool.
    [ModuleInitializer]
    internal static void Enable() => ProcessTlsDefaults.Enable();
#pragma warning restore CA2255
}
