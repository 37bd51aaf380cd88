using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Templates;

/// <summary>
/// What a template says about one resource, as a hash: its type, its resolved properties (keys sorted, positions
/// left out) and, for a load balancer, the node addresses the loader gave it. Model defaults and members the
/// template never mentions are not part of it, so upgrading Elbe (a new model member, a changed default) leaves
/// every fingerprint as it was and the store does not mistake an unchanged template for an edited one.
/// </summary>
internal static class TemplateFingerprint
{
    public static string Of(string type, TemplateMap properties, IReadOnlyList<LoadBalancerNode>? nodes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("Type", type);
            writer.WritePropertyName("Properties");
            Write(writer, properties);
            if (nodes is not null)
            {
                writer.WriteStartArray("Nodes");
                foreach (var node in nodes) writer.WriteStringValue(node.SubnetId + "=" + node.IpAddress);
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    private static void Write(Utf8JsonWriter writer, TemplateValue value)
    {
        switch (value)
        {
            case TemplateScalar scalar:
                writer.WriteStringValue(scalar.Value);
                break;
            case TemplateList list:
                writer.WriteStartArray();
                foreach (var item in list.Items) Write(writer, item);
                writer.WriteEndArray();
                break;
            case TemplateMap map:
                writer.WriteStartObject();
                // Key order in YAML or JSON carries no meaning, so it must not change the fingerprint.
                var entries = map.Entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
                foreach (var entry in entries)
                {
                    writer.WritePropertyName(entry.Key);
                    Write(writer, entry.Value);
                }
                writer.WriteEndObject();
                break;
        }
    }
}
