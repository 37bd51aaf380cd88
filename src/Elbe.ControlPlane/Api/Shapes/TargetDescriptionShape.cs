using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>The <c>TargetDescription</c> shape: Id, Port, AvailabilityZone and (QUIC groups) QuicServerId.</summary>
public static class TargetDescriptionShape
{
    /// <summary>
    /// The targets under <paramref name="member"/>, a missing Port filled with the group's port so one
    /// registration is always one (Id, Port) pair.
    /// </summary>
    public static List<TargetDescription>? ReadList(QueryParameters parameters, string member, TargetGroup group)
    {
        var items = parameters.GetStructList(member);
        if (items is null) return null;
        var targets = new List<TargetDescription>(items.Count);
        foreach (var t in items)
        {
            var id = t.Require("Id");
            var port = t.GetInt("Port") ?? (group.TargetType == "lambda" ? null : group.Port);
            targets.Add(new TargetDescription(id, port, t.Get("AvailabilityZone")) { QuicServerId = t.Get("QuicServerId") });
        }
        return targets;
    }

    public static void Write(AwsXmlWriter w, TargetDescription target) => w
        .Value("Id", target.Id)
        .Value("Port", target.Port)
        .Value("AvailabilityZone", target.AvailabilityZone)
        .Value("QuicServerId", target.QuicServerId);

    /// <summary>Registrations are identified by Id and Port; the zone is a detail of the registration.</summary>
    public static bool SameRegistration(TargetDescription a, TargetDescription b) => a.Id == b.Id && a.Port == b.Port;
}
