using Elbe.Model.Resources;
using Elbe.Routing.Health;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>The <c>TargetHealthDescription</c> shape.</summary>
public static class TargetHealthShape
{
    public static void Write(AwsXmlWriter w, TargetDescription target, string? healthCheckPort, TargetHealth health, bool anomalyDetection)
    {
        w.Struct("Target", t => TargetDescriptionShape.Write(t, target));
        w.Value("HealthCheckPort", healthCheckPort);
        w.Struct("TargetHealth", h => h.Value("State", health.State).Value("Reason", health.Reason).Value("Description", health.Description));
        if (anomalyDetection)
            w.Struct("AnomalyDetection", a => a.Value("Result", "normal").Value("MitigationInEffect", "no"));
        // Elbe has no zonal shift, so no override is ever active; AWS reports that explicitly.
        w.Struct("AdministrativeOverride", o => o.Value("State", "no_override")
            .Value("Reason", "AdministrativeOverride.NoOverride").Value("Description", "No override is currently active on target"));
    }
}
