namespace Elbe.ControlPlane.State;

/// <summary>The kinds of resource the store keeps, one row each.</summary>
public enum ResourceKind { LoadBalancer, Listener, Rule, TargetGroup, Instance, TrustStore, Certificate }

internal static class ResourceKindNames
{
    // Stored as text, not as the enum's number, so reordering the enum never reinterprets old rows.
    public static string ToStorageName(this ResourceKind kind) => kind switch
    {
        ResourceKind.LoadBalancer => "load-balancer",
        ResourceKind.Listener => "listener",
        ResourceKind.Rule => "rule",
        ResourceKind.TargetGroup => "target-group",
        ResourceKind.Instance => "instance",
        ResourceKind.TrustStore => "trust-store",
        ResourceKind.Certificate => "certificate",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static ResourceKind FromStorageName(string name) => name switch
    {
        "load-balancer" => ResourceKind.LoadBalancer,
        "listener" => ResourceKind.Listener,
        "rule" => ResourceKind.Rule,
        "target-group" => ResourceKind.TargetGroup,
        "instance" => ResourceKind.Instance,
        "trust-store" => ResourceKind.TrustStore,
        "certificate" => ResourceKind.Certificate,
        _ => throw new InvalidDataException($"Unknown resource kind '{name}' in the store."),
    };
}
