using Elbe.ControlPlane.Api;
using Elbe.ControlPlane.Api.Actions;

namespace Elbe.ControlPlane.Tests.Api;

public sealed class Elbv2ActionTableTests
{
    /// <summary>
    /// Every operation of botocore's elbv2 2015-12-01 model (botocore 1.43), copied by name: CI has no current
    /// model to read, and Debian's python3-botocore lacks the newer operations.
    /// </summary>
    private static readonly string[] ModelOperations =
    [
        "AddListenerCertificates",
        "AddTags",
        "AddTrustStoreRevocations",
        "CreateListener",
        "CreateLoadBalancer",
        "CreateRule",
        "CreateTargetGroup",
        "CreateTrustStore",
        "DeleteListener",
        "DeleteLoadBalancer",
        "DeleteRule",
        "DeleteSharedTrustStoreAssociation",
        "DeleteTargetGroup",
        "DeleteTrustStore",
        "DeregisterTargets",
        "DescribeAccountLimits",
        "DescribeCapacityReservation",
        "DescribeListenerAttributes",
        "DescribeListenerCertificates",
        "DescribeListeners",
        "DescribeLoadBalancerAttributes",
        "DescribeLoadBalancers",
        "DescribeRules",
        "DescribeSSLPolicies",
        "DescribeTags",
        "DescribeTargetGroupAttributes",
        "DescribeTargetGroups",
        "DescribeTargetHealth",
        "DescribeTrustStoreAssociations",
        "DescribeTrustStoreRevocations",
        "DescribeTrustStores",
        "GetResourcePolicy",
        "GetTrustStoreCaCertificatesBundle",
        "GetTrustStoreRevocationContent",
        "ModifyCapacityReservation",
        "ModifyIpPools",
        "ModifyListener",
        "ModifyListenerAttributes",
        "ModifyLoadBalancerAttributes",
        "ModifyRule",
        "ModifyTargetGroup",
        "ModifyTargetGroupAttributes",
        "ModifyTrustStore",
        "RegisterTargets",
        "RemoveListenerCertificates",
        "RemoveTags",
        "RemoveTrustStoreRevocations",
        "SetIpAddressType",
        "SetRulePriorities",
        "SetSecurityGroups",
        "SetSubnets",
    ];

    [Fact]
    public void Every_model_operation_is_registered_and_nothing_else()
    {
        var registered = Elbv2Actions.CreateTable().ActionsOf(ApiActionTable.Elbv2Version).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(51, ModelOperations.Length);
        Assert.Equal(ModelOperations, registered);
    }

    [Fact]
    public void Actions_are_looked_up_by_version_too()
    {
        var table = Elbv2Actions.CreateTable();

        Assert.True(table.TryGet(ApiActionTable.Elbv2Version, "DescribeSSLPolicies", out _));
        Assert.False(table.TryGet(ApiActionTable.Elbv2Version, "DescribeSslPolicies", out _));
        Assert.False(table.TryGet(ApiActionTable.ClassicVersion, "DescribeTargetGroups", out _));
    }
}
