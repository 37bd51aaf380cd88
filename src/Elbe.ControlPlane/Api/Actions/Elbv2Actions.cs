namespace Elbe.ControlPlane.Api.Actions;

/// <summary>Every ELBv2 (2015-12-01) action, grouped by the resource family it manages.</summary>
public static class Elbv2Actions
{
    public static ApiActionTable CreateTable()
    {
        var table = new ApiActionTable();
        LoadBalancerActions.Register(table);
        ListenerActions.Register(table);
        TargetGroupActions.Register(table);
        TargetActions.Register(table);
        RuleActions.Register(table);
        TagActions.Register(table);
        TrustStoreActions.Register(table);
        AccountActions.Register(table);
        return table;
    }
}
