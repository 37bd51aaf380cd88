namespace Elbe.ControlPlane.Signing;

/// <summary>
/// The parts of an HTTP request that SigV4 covers. Query values are decoded (the signer encodes them itself);
/// <see cref="Headers"/> holds only the headers to sign, <c>host</c> with its port when it is not the default.
/// </summary>
public sealed record SigV4Request(
    string Method,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string PayloadHash);
