using System.Net;
using Elbe.ControlPlane.Templates;
using Elbe.Model.Resources;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Elbe.ControlPlane.Server;

/// <summary>
/// Reads the server config file (YAML):
/// <code>
/// subnets:
///   - SubnetId: subnet-0000000000000000a
///     AvailabilityZone: us-east-1a
///     CidrBlock: 192.168.1.10/32     # one real interface address, shared by every node in the subnet
/// </code>
/// Errors name the file, line and field, like template errors.
/// </summary>
public static class ServerConfigLoader
{
    public static ServerConfig Load(string path)
    {
        var file = Path.GetFileName(path);
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw Error(file, (int)e.Start.Line, (int)e.Start.Column, null, e.Message);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw Error(file, 1, 1, null, "the server config must be a mapping");

        IReadOnlyList<Subnet>? subnets = null;
        foreach (var (keyNode, value) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value;
            if (key != "subnets") throw Error(file, keyNode, key, "unknown setting (known: subnets)");
            if (value is not YamlSequenceNode list) throw Error(file, value, "subnets", "must be a list");
            subnets = ReadSubnets(file, list);
        }
        return new ServerConfig { Subnets = subnets };
    }

    private static List<Subnet> ReadSubnets(string file, YamlSequenceNode list)
    {
        var subnets = new List<Subnet>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"subnets[{i}]";
            if (list.Children[i] is not YamlMappingNode item) throw Error(file, list.Children[i], path, "must be a mapping");
            string? id = null, zone = null, cidr = null;
            foreach (var (keyNode, valueNode) in item.Children)
            {
                var key = ((YamlScalarNode)keyNode).Value;
                var value = (valueNode as YamlScalarNode)?.Value ?? throw Error(file, valueNode, $"{path}.{key}", "must be a string");
                switch (key)
                {
                    case "SubnetId": id = value; break;
                    case "AvailabilityZone": zone = value; break;
                    case "CidrBlock":
                        if (!IPNetwork.TryParse(value, out _)) throw Error(file, valueNode, $"{path}.CidrBlock", $"'{value}' is not a CIDR block like 192.168.1.10/32");
                        cidr = value;
                        break;
                    default: throw Error(file, keyNode, $"{path}.{key}", "unknown field (known: SubnetId, AvailabilityZone, CidrBlock)");
                }
            }
            if (id is null || zone is null || cidr is null)
                throw Error(file, item, path, "SubnetId, AvailabilityZone and CidrBlock are all required");
            subnets.Add(new Subnet(id, zone, cidr));
        }
        return subnets;
    }

    private static TemplateException Error(string file, YamlNode node, string? path, string message) =>
        Error(file, (int)node.Start.Line, (int)node.Start.Column, path, message);

    private static TemplateException Error(string file, int line, int column, string? path, string message) =>
        new([new TemplateError(file, line, column, null, path, message)]);
}
