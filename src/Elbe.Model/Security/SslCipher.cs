using System.Net.Security;

namespace Elbe.Model.Security;

/// <summary>
/// A cipher as a security policy lists it: the OpenSSL-style <see cref="Name"/> the API reports, the policy's
/// <see cref="Priority"/> for it (1 = most preferred), and the IANA suite the TLS stack negotiates.
/// </summary>
public sealed record SslCipher(string Name, int Priority, TlsCipherSuite Suite);
