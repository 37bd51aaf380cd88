namespace Elbe.ControlPlane.Api.Actions;

public static class RuleActions
{
    public static void Register(ApiActionTable table)
    {
    }
}
