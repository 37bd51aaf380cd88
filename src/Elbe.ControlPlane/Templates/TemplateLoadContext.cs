using Elbe.Model.Identifiers;
using Elbe.Model.Resources;
using Elbe.Model.Validation;

namespace Elbe.ControlPlane.Templates;

/// <summary>Everything a template is loaded against that the template itself does not say.</summary>
public sealed record TemplateLoadContext
{
    public string Region { get; init; } = "us-east-1";
    public string AccountId { get; init; } = Arns.DefaultAccountId;

    /// <summary>Null means the default VPC of <see cref="Region"/> (<see cref="Zones.DefaultSubnets"/>).</summary>
    public IReadOnlyList<Subnet>? Subnets { get; init; }

    /// <summary>The configuration applied before this load: load balancers it already has keep their node addresses.</summary>
    public ElbeConfiguration? Previous { get; init; }

    /// <summary>Overrides AWS::StackName; by default it is the file name without its extension.</summary>
    public string? StackName { get; init; }

    /// <summary>
    /// Whole-configuration validation run after conversion. Null means the model's own validator;
    /// tests substitute one to exercise the mapping of its errors back to template lines.
    /// </summary>
    public Func<ElbeConfiguration, IReadOnlyList<ModelValidationException>>? Validator { get; init; }

    /// <summary>What the host can do: a template asking for what it cannot (preserve_client_ip.enabled without the capability) is refused.</summary>
    public HostFacts Host { get; init; } = HostFacts.Capable;

    /// <summary>Filled by each load with what was ignored; the caller logs them.</summary>
    public List<TemplateWarning> Warnings { get; init; } = [];

    internal IReadOnlyList<Subnet> EffectiveSubnets => Subnets ?? Zones.DefaultSubnets(Region);
}
