namespace Elbe.ControlPlane.Api.Actions;

public static class AccountActions
{
    public static void Register(ApiActionTable table)
    {
    }
}
