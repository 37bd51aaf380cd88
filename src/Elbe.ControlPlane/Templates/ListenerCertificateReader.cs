using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Templates;

/// <summary>
/// AWS::ElasticLoadBalancingV2::ListenerCertificate: certificates added to a listener of the same template, as
/// AddListenerCertificates adds them. The model has no resource for it; its certificates join the listener's
/// <see cref="Listener.AdditionalCertificateArns"/>.
/// </summary>
internal static class ListenerCertificateReader
{
    private static readonly string[] Allowed = ["ListenerArn", "Certificates"];

    /// <summary>What one ListenerCertificate says, and where, to report a listener it cannot find.</summary>
    public sealed record Attachment(string Key, string ListenerArn, IReadOnlyList<string> CertificateArns, PropertyReader Properties);

    public static Attachment Read(StackResource resource, TemplateMap properties, ResourceIdentity identity, TemplateDiagnostics diagnostics)
    {
        var p = new PropertyReader(properties, diagnostics, resource.LogicalId, resource.Type, Allowed);
        var listenerArn = p.String("ListenerArn", required: true) ?? "";
        var certificates = p.Objects("Certificates", "Certificate", ["CertificateArn"], required: true)
            .Select(c => c.String("CertificateArn", required: true)).OfType<string>().ToList();
        return new Attachment(identity.Arn, listenerArn, certificates, p);
    }

    /// <summary>
    /// Adds each attachment's certificates to its listener (once each, after the default), and returns, by listener
    /// ARN, the keys of the attachments that edited it.
    /// </summary>
    public static Dictionary<string, List<string>> Attach(List<Listener> listeners, IReadOnlyList<Attachment> attachments, TemplateDiagnostics diagnostics)
    {
        var attachedTo = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var attachment in attachments)
        {
            var index = listeners.FindIndex(l => l.Arn == attachment.ListenerArn);
            if (index < 0)
            {
                if (attachment.Properties.Raw("ListenerArn") is { } at)
                    attachment.Properties.Report(at, $"'{attachment.ListenerArn}' is not a listener of this template.");
                continue;
            }
            var listener = listeners[index];
            var extras = listener.AdditionalCertificateArns.IsDefault ? [] : listener.AdditionalCertificateArns;
            foreach (var arn in attachment.CertificateArns)
                if (!ListenerCertificates.All(listener).Contains(arn) && !extras.Contains(arn)) extras = extras.Add(arn);
            listeners[index] = listener with { AdditionalCertificateArns = extras };
            if (!attachedTo.TryGetValue(listener.Arn, out var keys)) attachedTo[listener.Arn] = keys = [];
            keys.Add(attachment.Key);
        }
        return attachedTo;
    }
}
