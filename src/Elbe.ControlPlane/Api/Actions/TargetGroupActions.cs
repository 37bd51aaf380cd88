namespace Elbe.ControlPlane.Api.Actions;

public static class TargetGroupActions
{
    public static void Register(ApiActionTable table)
    {
    }
}
