using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Server;

/// <summary>
/// Settings of the Elbe process itself, as opposed to the load balancers it runs: today, which subnets exist
/// and which addresses their nodes bind (a real interface instead of loopback, say).
/// </summary>
public sealed record ServerConfig
{
    /// <summary>Null keeps the default VPC on loopback.</summary>
    public IReadOnlyList<Subnet>? Subnets { get; init; }
}
