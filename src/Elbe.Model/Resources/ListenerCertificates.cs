namespace Elbe.Model.Resources;

/// <summary>The certificate ARNs a listener names, wherever they sit on it.</summary>
public static class ListenerCertificates
{
    /// <summary>Its default certificate, then those added to it; empty when it has none (a default array counts as empty).</summary>
    public static IEnumerable<string> All(Listener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        if (!listener.CertificateArns.IsDefault)
            foreach (var arn in listener.CertificateArns) yield return arn;
        if (!listener.AdditionalCertificateArns.IsDefault)
            foreach (var arn in listener.AdditionalCertificateArns) yield return arn;
    }
}
