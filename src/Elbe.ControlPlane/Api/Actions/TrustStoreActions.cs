namespace Elbe.ControlPlane.Api.Actions;

public static class TrustStoreActions
{
    public static void Register(ApiActionTable table)
    {
    }
}
