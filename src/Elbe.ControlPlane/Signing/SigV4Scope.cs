namespace Elbe.ControlPlane.Signing;

/// <summary>
/// The credential scope of a SigV4 signature, <c>yyyymmdd/region/service/aws4_request</c>: it binds the signing key to
/// one day, one region and one service, and is where the region of a request comes from.
/// </summary>
public sealed record SigV4Scope(string Date, string Region, string Service)
{
    public const string Terminator = "aws4_request";

    public override string ToString() => $"{Date}/{Region}/{Service}/{Terminator}";
}
