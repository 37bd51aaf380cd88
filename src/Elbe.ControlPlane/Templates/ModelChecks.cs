using Elbe.Model.Resources;
using Elbe.Model.Validation;

namespace Elbe.ControlPlane.Templates;

/// <summary>The model validation a loaded template must pass before it is applied: the same one the API applies.</summary>
internal static class ModelChecks
{
    public static IReadOnlyList<ModelValidationException> Collect(ElbeConfiguration configuration) =>
        ConfigurationValidator.Collect(configuration);
}
