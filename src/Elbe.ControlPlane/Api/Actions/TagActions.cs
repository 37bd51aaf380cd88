namespace Elbe.ControlPlane.Api.Actions;

public static class TagActions
{
    public static void Register(ApiActionTable table)
    {
    }
}
