using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Templates;

/// <summary>
/// A loaded template: the configuration it describes and, by resource key (ARN, or instance id), the
/// <see cref="TemplateFingerprint"/> of what the template says about each resource, which the store's merge
/// compares across imports.
/// </summary>
public sealed record LoadedTemplate(ElbeConfiguration Configuration, IReadOnlyDictionary<string, string> Fingerprints);
