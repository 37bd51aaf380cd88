namespace Elbe.ControlPlane.Api.Actions;

public static class LoadBalancerActions
{
    public static void Register(ApiActionTable table)
    {
    }
}
