namespace Elbe.ControlPlane.Api.Actions;

public static class TargetActions
{
    public static void Register(ApiActionTable table)
    {
    }
}
