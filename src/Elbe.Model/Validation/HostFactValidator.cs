using Elbe.Model.Attributes;
using Elbe.Model.Resources;

namespace Elbe.Model.Validation;

/// <summary>
/// Refuses settings this host cannot honour (see <see cref="HostFacts"/>): a target group that turns on
/// preserve_client_ip.enabled on a host where connections cannot leave from the client's address.
/// </summary>
/// <remarks>
/// Only a value the user set is refused. Where preservation is on by default (instance targets, UDP) the group
/// stays valid; the data plane refuses to serve a listener that forwards to it on such a host.
/// </remarks>
public static class HostFactValidator
{
    public static IReadOnlyList<ModelValidationException> Collect(ElbeConfiguration configuration, HostFacts host)
    {
        var errors = new ValidationErrorList();
        foreach (var group in configuration.TargetGroups) Check(group, host, errors);
        return errors.Errors;
    }

    public static void Check(TargetGroup group, HostFacts host, ValidationErrorList errors)
    {
        if (host.ClientIpPreservationUnavailable is { } why
            && group.Attributes.GetValueOrDefault(NetworkTargetGroupAttributes.PreserveClientIp) == "true")
            errors.Add(ErrorCodes.ValidationError, $"preserve_client_ip.enabled cannot be turned on on this host: {why}",
                group.Arn, $"Attributes[{NetworkTargetGroupAttributes.PreserveClientIp}]");
    }
}
