using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.State;

/// <summary>
/// The stored form of a resource: the model record as JSON, by reflection over its public properties, so members
/// added to the model later are stored without touching this code, and rows written before a member existed read
/// back with that member's default.
/// </summary>
internal static class ResourceJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        // Computed getters (RuleAction.ForwardTargetGroups) are derived from stored members; writing them would
        // only bloat rows and make hashes depend on derivation code.
        IgnoreReadOnlyProperties = true,
        // Enum names rather than numbers, so reordering an enum never reinterprets old rows.
        Converters = { new JsonStringEnumConverter() },
        // Nulls are written, never omitted: a nullable member with a non-null default (TargetGroup.Protocol)
        // would otherwise read back as its default.
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize(KeyedResource resource) =>
        JsonSerializer.Serialize(WithoutSecrets(resource.Value), ConfigurationResources.ModelType(resource.Kind), Options);

    /// <summary>
    /// A certificate's private key never enters the database (or a hash): the durable store keeps it in an
    /// owner-only file (<see cref="Certificates.PrivateKeyFiles"/>). A re-import always bumps the version, so the
    /// row still changes whenever the key does.
    /// </summary>
    private static object WithoutSecrets(object value) => value is Certificate certificate ? certificate with { PrivateKeyPem = "" } : value;

    public static KeyedResource Deserialize(ResourceKind kind, string key, string json)
    {
        var value = JsonSerializer.Deserialize(json, ConfigurationResources.ModelType(kind), Options)
            ?? throw new InvalidDataException($"The stored {kind.ToStorageName()} '{key}' is null.");
        return new KeyedResource(kind, key, value);
    }

    /// <summary>Identifies a resource's content: equal hashes mean the template said the same thing both times.</summary>
    public static string Hash(KeyedResource resource) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(resource.Kind.ToStorageName() + "\n" + Serialize(resource))));
}
