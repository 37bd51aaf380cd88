using Elbe.ControlPlane.Certificates;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Acm;

/// <summary>Finding a certificate by ARN and the load balancers whose listeners use it.</summary>
public static class CertificateLookup
{
    public static Certificate Find(ElbeConfiguration configuration, string arn, string accountId)
    {
        foreach (var certificate in configuration.Certificates)
            if (certificate.Arn == arn) return certificate;
        throw AcmException.NotFound(arn, accountId);
    }

    /// <summary>ACM's InUseBy for a certificate on load balancers: the ARNs of the load balancers with a listener naming it, each once.</summary>
    public static IReadOnlyList<string> InUseBy(ElbeConfiguration configuration, string arn)
    {
        var users = new List<string>();
        foreach (var listener in configuration.Listeners)
        {
            if (!ListenerCertificates.All(listener).Contains(arn)) continue;
            if (!users.Contains(listener.LoadBalancerArn)) users.Add(listener.LoadBalancerArn);
        }
        return users;
    }
}
