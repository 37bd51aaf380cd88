namespace Elbe.ControlPlane.Api.Acm;

/// <summary>The ACM operations Elbe serves, by the name after "CertificateManager." in X-Amz-Target.</summary>
public static class AcmActions
{
    private static readonly Dictionary<string, AcmHandler> Handlers = new(StringComparer.Ordinal)
    {
        ["ImportCertificate"] = AcmCertificateActions.ImportCertificateAsync,
        ["DescribeCertificate"] = AcmCertificateActions.DescribeCertificateAsync,
        ["ListCertificates"] = AcmCertificateActions.ListCertificatesAsync,
        ["GetCertificate"] = AcmCertificateActions.GetCertificateAsync,
        ["DeleteCertificate"] = AcmCertificateActions.DeleteCertificateAsync,
        ["AddTagsToCertificate"] = AcmTagActions.AddTagsToCertificateAsync,
        ["RemoveTagsFromCertificate"] = AcmTagActions.RemoveTagsFromCertificateAsync,
        ["ListTagsForCertificate"] = AcmTagActions.ListTagsForCertificateAsync,
    };

    public static IEnumerable<string> Operations => Handlers.Keys;

    public static bool TryGet(string operation, out AcmHandler handler) => Handlers.TryGetValue(operation, out handler!);
}
