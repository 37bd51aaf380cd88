namespace Elbe.ControlPlane.Api.Actions;

public static class ListenerActions
{
    public static void Register(ApiActionTable table)
    {
    }
}
