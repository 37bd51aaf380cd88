using System.Collections.Immutable;
using Elbe.Model.Identifiers;
using Elbe.Model.Resources;
using YamlDotNet.RepresentationModel;

namespace Elbe.ControlPlane.Templates;

/// <summary>
/// The template's names and how they resolve. Properties are resolved on demand and remembered, because
/// a Ref to a listener needs its load balancer's ARN, which needs that load balancer's Name, which may itself
/// be a Sub of something else; a property met again while it is being resolved is a circular dependency.
/// </summary>
internal sealed class StackGraph : ITemplateSymbols
{
    private readonly TemplateDiagnostics _diagnostics;
    private readonly TemplateLoadContext _context;
    private readonly IReadOnlyDictionary<string, TemplateValue> _parameters;
    private readonly YamlMappingNode? _mappings;
    private readonly Dictionary<string, Outcome<TemplateValue?>> _properties = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Outcome<ResourceIdentity>> _identities = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);

    public StackGraph(TemplateDiagnostics diagnostics, TemplateLoadContext context, string stackName,
        IReadOnlyDictionary<string, StackResource> resources, IReadOnlyDictionary<string, TemplateValue> parameters, YamlMappingNode? mappings)
    {
        _diagnostics = diagnostics;
        _context = context;
        StackName = stackName;
        Resources = resources;
        _parameters = parameters;
        _mappings = mappings;
        Resolver = new IntrinsicResolver(diagnostics, this);
    }

    public string StackName { get; }
    public IReadOnlyDictionary<string, StackResource> Resources { get; }
    public IntrinsicResolver Resolver { get; }
    public IReadOnlyList<string> AvailabilityZones => [.. _context.EffectiveSubnets.Select(s => s.ZoneName).Distinct()];

    private readonly record struct Outcome<T>(T Value, TemplateFault? Fault)
    {
        public T Get() => Fault is null ? Value : throw Fault;
    }

    /// <summary>One resolved property of a resource; null when absent or removed by AWS::NoValue.</summary>
    public TemplateValue? Property(StackResource resource, string name)
    {
        var key = resource.LogicalId + "/" + name;
        if (_properties.TryGetValue(key, out var known)) return known.Get();
        var node = resource.Properties?.Children.FirstOrDefault(c => c.Key.KeyText() == name).Value;
        if (node is null) return null;
        var outcome = Guarded(key, resource, () => Resolver.Resolve(node, resource.PropertiesPath + "." + name, resource.LogicalId));
        _properties[key] = outcome;
        return outcome.Get();
    }

    /// <summary>Every property of a resource, each failure recorded; null when any failed.</summary>
    public TemplateMap? AllProperties(StackResource resource)
    {
        var entries = ImmutableArray.CreateBuilder<TemplateMapEntry>();
        var failed = false;
        foreach (var key in resource.Properties?.Children.Keys ?? Enumerable.Empty<YamlNode>())
        {
            var name = key.KeyText();
            if (name is null) { _diagnostics.Report(key.Location(), resource.LogicalId, resource.PropertiesPath, "Property names must be strings."); failed = true; continue; }
            try
            {
                if (Property(resource, name) is { } value) entries.Add(new TemplateMapEntry(name, key.Location(), value));
            }
            catch (TemplateFault fault)
            {
                _diagnostics.Add(fault.Error);
                failed = true;
            }
        }
        var at = resource.Properties?.Location() ?? resource.Location;
        return failed ? null : new TemplateMap(entries.ToImmutable(), at, resource.PropertiesPath);
    }

    public ResourceIdentity Identity(StackResource resource)
    {
        if (_identities.TryGetValue(resource.LogicalId, out var known)) return known.Get();
        var outcome = Guarded(resource.LogicalId + "/#identity", resource, () => ComputeIdentity(resource));
        _identities[resource.LogicalId] = outcome;
        return outcome.Get();
    }

    private Outcome<T> Guarded<T>(string key, StackResource resource, Func<T> compute)
    {
        if (!_inProgress.Add(key))
            return new(default!, _diagnostics.Fault(resource.Location, resource.LogicalId, resource.Path,
                $"Circular dependency: resolving '{key.Replace("/#identity", "", StringComparison.Ordinal)}' needs itself."));
        try
        {
            return new(compute(), null);
        }
        catch (TemplateFault fault)
        {
            return new(default!, fault);
        }
        finally
        {
            _inProgress.Remove(key);
        }
    }

    private string Seed(StackResource resource) => StackName + "/" + resource.LogicalId;

    private ResourceIdentity ComputeIdentity(StackResource resource)
    {
        var id = Arns.StableId(Seed(resource));
        switch (resource.Type)
        {
            case ResourceTypes.LoadBalancer:
            {
                var name = ScalarProperty(resource, "Name") ?? GeneratedNames.For(StackName, resource.LogicalId);
                var type = ScalarProperty(resource, "Type") switch
                {
                    null or "application" => LoadBalancerType.Application,
                    "network" => LoadBalancerType.Network,
                    "gateway" => LoadBalancerType.Gateway,
                    var other => throw _diagnostics.Fault(Property(resource, "Type")!.Location, resource.LogicalId, resource.PropertiesPath + ".Type",
                        $"'{other}' is not a load balancer type (application, network or gateway)."),
                };
                var scheme = ScalarProperty(resource, "Scheme") ?? "internet-facing";
                return new ResourceIdentity(Arns.LoadBalancer(_context.Region, _context.AccountId, type, name, id), name, id, type, scheme);
            }
            case ResourceTypes.TargetGroup:
            {
                var name = ScalarProperty(resource, "Name") ?? GeneratedNames.For(StackName, resource.LogicalId);
                return new ResourceIdentity(Arns.TargetGroup(_context.Region, _context.AccountId, name, id), name, id);
            }
            case ResourceTypes.Listener:
            {
                var parent = RequiredArn(resource, "LoadBalancerArn", ":loadbalancer/", "load balancer");
                return new ResourceIdentity(Arns.Listener(parent, id), id, id);
            }
            case ResourceTypes.ListenerRule:
            {
                var parent = RequiredArn(resource, "ListenerArn", ":listener/", "listener");
                return new ResourceIdentity(Arns.Rule(parent, id), id, id);
            }
            case ResourceTypes.ListenerCertificate:
            {
                // No ARN in AWS either: a key of its own, under its listener's, only to find it again.
                var listener = RequiredArn(resource, "ListenerArn", ":listener/", "listener");
                return new ResourceIdentity(listener + "#certificates/" + resource.LogicalId, id, id);
            }
            case ResourceTypes.Instance:
            {
                var instanceId = "i-" + id + Arns.StableId("instance:" + Seed(resource))[..1];
                return new ResourceIdentity(instanceId, instanceId, instanceId);
            }
            default:
                throw _diagnostics.Fault(resource.Location, resource.LogicalId, resource.Path, $"Resource type {resource.Type} is not supported.");
        }
    }

    private string? ScalarProperty(StackResource resource, string name) => Property(resource, name) switch
    {
        null => null,
        TemplateScalar s => s.Value,
        var other => throw _diagnostics.Fault(other.Location, resource.LogicalId, other.Path, $"{name} must be a string, not {other.Describe}."),
    };

    private string RequiredArn(StackResource resource, string name, string marker, string what)
    {
        var value = ScalarProperty(resource, name)
            ?? throw _diagnostics.Fault(resource.Location, resource.LogicalId, resource.PropertiesPath, $"{name} is required.");
        if (!value.Contains(marker, StringComparison.Ordinal))
            throw _diagnostics.Fault(Property(resource, name)!.Location, resource.LogicalId, resource.PropertiesPath + "." + name, $"'{value}' is not a {what} ARN.");
        return value;
    }

    public TemplateValue? Ref(string name, TemplateLocation at, string? logicalId, string path)
    {
        TemplateValue Text(string value) => new TemplateScalar(value, at, path);
        switch (name)
        {
            case "AWS::NoValue": return null;
            case "AWS::Region": return Text(_context.Region);
            case "AWS::AccountId": return Text(_context.AccountId);
            case "AWS::StackName": return Text(StackName);
            case "AWS::Partition": return Text("aws");
            case "AWS::URLSuffix": return Text("amazonaws.com");
            case "AWS::NotificationARNs": return new TemplateList([], at, path);
            case "AWS::StackId":
            {
                var h = Arns.StableId("stack:" + StackName) + Arns.StableId("stack2:" + StackName);
                return Text($"arn:aws:cloudformation:{_context.Region}:{_context.AccountId}:stack/{StackName}/{h[..8]}-{h[8..12]}-{h[12..16]}-{h[16..20]}-{h[20..32]}");
            }
        }
        if (name.StartsWith("AWS::", StringComparison.Ordinal))
            throw _diagnostics.Fault(at, logicalId, path, $"Unknown pseudo parameter '{name}'.");
        if (_parameters.TryGetValue(name, out var parameter)) return IntrinsicResolver.Relocate(parameter, at, path);
        var resource = Referenced(name, at, logicalId, path, "Ref");
        return Text(Identity(resource).Arn);
    }

    private StackResource Referenced(string name, TemplateLocation at, string? logicalId, string path, string how)
    {
        if (!Resources.TryGetValue(name, out var resource))
            throw _diagnostics.Fault(at, logicalId, path, $"{how}: '{name}' is not a parameter or resource of this template.");
        if (!ResourceTypes.IsSupported(resource.Type))
            throw _diagnostics.Fault(at, logicalId, path, $"{how}: resource '{name}' ({resource.Type}) is not supported by Elbe and was skipped, so it cannot be referenced.");
        return resource;
    }

    public TemplateValue GetAtt(string resourceName, string attribute, TemplateLocation at, string? logicalId, string path)
    {
        var resource = Referenced(resourceName, at, logicalId, path, "Fn::GetAtt");
        TemplateValue Text(string value) => new TemplateScalar(value, at, path);
        var identity = Identity(resource);
        switch (resource.Type, attribute)
        {
            case (ResourceTypes.LoadBalancer, "LoadBalancerArn" or "Arn"): return Text(identity.Arn);
            case (ResourceTypes.LoadBalancer, "LoadBalancerName"): return Text(identity.Name);
            case (ResourceTypes.LoadBalancer, "LoadBalancerFullName"): return Text(Arns.LoadBalancerFullName(identity.Arn));
            case (ResourceTypes.LoadBalancer, "DNSName"):
                return Text(Arns.DnsName(identity.LoadBalancerType, identity.Scheme, identity.Name, identity.Id, _context.Region));
            case (ResourceTypes.LoadBalancer, "CanonicalHostedZoneID"): return Text(HostedZones.For(identity.LoadBalancerType, _context.Region));
            case (ResourceTypes.LoadBalancer, "SecurityGroups"):
                return Property(resource, "SecurityGroups") is TemplateList groups ? IntrinsicResolver.Relocate(groups, at, path) : new TemplateList([], at, path);
            case (ResourceTypes.TargetGroup, "TargetGroupArn" or "Arn"): return Text(identity.Arn);
            case (ResourceTypes.TargetGroup, "TargetGroupName"): return Text(identity.Name);
            case (ResourceTypes.TargetGroup, "TargetGroupFullName"): return Text(Arns.TargetGroupFullName(identity.Arn));
            case (ResourceTypes.TargetGroup, "LoadBalancerArns"):
                return new TemplateList([.. LoadBalancersForwardingTo(identity.Arn).Select((arn, i) => (TemplateValue)new TemplateScalar(arn, at, $"{path}[{i}]"))], at, path);
            case (ResourceTypes.Listener, "ListenerArn" or "Arn"): return Text(identity.Arn);
            case (ResourceTypes.ListenerRule, "RuleArn" or "Arn"): return Text(identity.Arn);
            case (ResourceTypes.ListenerRule, "IsDefault"): return Text("false");
            case (ResourceTypes.Instance, "PrivateIp"):
                return Property(resource, "PrivateIpAddress") is TemplateScalar ip ? Text(ip.Value)
                    : throw _diagnostics.Fault(at, logicalId, path, $"Fn::GetAtt: instance '{resourceName}' has no PrivateIpAddress.");
            default:
                throw _diagnostics.Fault(at, logicalId, path, $"Fn::GetAtt: {resource.Type} has no attribute '{attribute}' (resource '{resourceName}').");
        }
    }

    /// <summary>Load balancers whose listeners or rules forward to the target group, as LoadBalancerArns reports them.</summary>
    private IEnumerable<string> LoadBalancersForwardingTo(string targetGroupArn)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var resource in Resources.Values)
        {
            try
            {
                if (resource.Type == ResourceTypes.Listener && Mentions(Property(resource, "DefaultActions"), targetGroupArn))
                    found.Add(ParentLoadBalancer(Identity(resource).Arn));
                else if (resource.Type == ResourceTypes.ListenerRule && Mentions(Property(resource, "Actions"), targetGroupArn))
                    found.Add(ParentLoadBalancer(Identity(resource).Arn));
            }
            catch (TemplateFault)
            {
                // Reported where it happens, when that resource itself is loaded.
            }
        }
        return found;
    }

    private static string ParentLoadBalancer(string childArn)
    {
        var arn = childArn.Replace(":listener-rule/", ":loadbalancer/", StringComparison.Ordinal).Replace(":listener/", ":loadbalancer/", StringComparison.Ordinal);
        var parts = arn.Split('/');
        return string.Join('/', parts.Take(4));
    }

    private static bool Mentions(TemplateValue? value, string arn) => value switch
    {
        TemplateMap m => m.Entries.Any(e => e.Key == "TargetGroupArn" && e.Value is TemplateScalar s && s.Value == arn || Mentions(e.Value, arn)),
        TemplateList l => l.Items.Any(i => Mentions(i, arn)),
        _ => false,
    };

    public TemplateValue FindInMap(string map, string topKey, string secondKey, TemplateLocation at, string? logicalId, string path)
    {
        YamlNode? Child(YamlNode? node, string key) => (node as YamlMappingNode)?.Children.FirstOrDefault(c => c.Key.KeyText() == key).Value;
        var node = Child(Child(Child(_mappings, map), topKey), secondKey)
            ?? throw _diagnostics.Fault(at, logicalId, path, $"Fn::FindInMap: Mappings has no {map}.{topKey}.{secondKey}.");
        return IntrinsicResolver.Relocate(Resolver.Resolve(node, path, logicalId)
            ?? throw _diagnostics.Fault(at, logicalId, path, "Fn::FindInMap: the mapping value is empty."), at, path);
    }
}
