using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>The ELBv2 <c>Listener</c> shape as CreateListener, ModifyListener and DescribeListeners answer it.</summary>
public static class ListenerShape
{
    public static void Write(AwsXmlWriter w, Listener listener)
    {
        w.Value("ListenerArn", listener.Arn).Value("LoadBalancerArn", listener.LoadBalancerArn);
        // A Gateway Load Balancer listener has neither: it takes every packet.
        if (!IsGatewayListener(listener))
            w.Value("Port", listener.Port).Value("Protocol", listener.Protocol);
        // Only the default certificate shows here, without IsDefault; DescribeListenerCertificates lists the rest.
        if (!listener.CertificateArns.IsDefaultOrEmpty)
            w.List("Certificates", [listener.CertificateArns[0]], (c, arn) => CertificateShape.Write(c, arn, null));
        w.Value("SslPolicy", listener.SslPolicy);
        w.List("DefaultActions", listener.DefaultActions.IsDefault ? [] : listener.DefaultActions, ActionShape.Write);
        if (!listener.AlpnPolicy.IsDefaultOrEmpty) w.StringList("AlpnPolicy", listener.AlpnPolicy);
        if (listener.MutualAuthentication is { } mtls)
        {
            w.Struct("MutualAuthentication", m => m
                .Value("Mode", mtls.Mode)
                .Value("TrustStoreArn", mtls.TrustStoreArn)
                .Value("IgnoreClientCertificateExpiry", mtls.IgnoreClientCertificateExpiry)
                .Value("TrustStoreAssociationStatus", mtls.TrustStoreArn is null ? null : "active")
                .Value("AdvertiseTrustStoreCaNames", mtls.AdvertiseTrustStoreCaNames));
        }
    }

    /// <summary>Gateway listeners are stored with port 0 and protocol GENEVE, which the API never shows.</summary>
    public static bool IsGatewayListener(Listener listener) => listener.Port == 0 && listener.Protocol == GatewayProtocol;

    public const string GatewayProtocol = "GENEVE";
}
