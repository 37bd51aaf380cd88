using System.Collections.Immutable;
using Elbe.ControlPlane.Nodes;
using Elbe.Model.Resources;
using Elbe.Model.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Elbe.ControlPlane.Templates;

/// <summary>
/// Loads a CloudFormation template (YAML or JSON) into an <see cref="ElbeConfiguration"/>. A template is taken
/// whole or not at all: any problem throws a <see cref="TemplateException"/> listing every error with its line.
/// </summary>
public static class TemplateLoader
{
    private static readonly HashSet<string> Sections =
        ["AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs"];
    private static readonly HashSet<string> ResourceKeys =
        ["Type", "Properties", "DependsOn", "Metadata", "DeletionPolicy", "UpdateReplacePolicy", "CreationPolicy", "UpdatePolicy", "Condition"];

    public static ElbeConfiguration Load(string path, TemplateLoadContext context) =>
        Load(File.ReadAllText(path), path, context);

    /// <param name="fileName">Shown in errors; its name without extension is the stack name unless the context sets one.</param>
    public static ElbeConfiguration Load(string text, string fileName, TemplateLoadContext context) =>
        LoadWithFingerprints(text, fileName, context).Configuration;

    /// <summary>Loads a template for import into the store, which needs each resource's fingerprint as well.</summary>
    public static LoadedTemplate LoadWithFingerprints(string path, TemplateLoadContext context) =>
        LoadWithFingerprints(File.ReadAllText(path), path, context);

    /// <param name="fileName">Shown in errors; its name without extension is the stack name unless the context sets one.</param>
    public static LoadedTemplate LoadWithFingerprints(string text, string fileName, TemplateLoadContext context)
    {
        var diagnostics = new TemplateDiagnostics(fileName);
        context.Warnings.Clear();
        var loaded = Build(text, fileName, context, diagnostics);
        context.Warnings.AddRange(diagnostics.Warnings);
        if (diagnostics.Errors.Count > 0 || loaded is null)
            throw new TemplateException([.. diagnostics.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column)]);
        return loaded;
    }

    private static LoadedTemplate? Build(string text, string fileName, TemplateLoadContext context, TemplateDiagnostics diagnostics)
    {
        var root = Parse(text, diagnostics);
        if (root is null) return null;

        foreach (var (key, _) in root.Children)
            if (!Sections.Contains(key.KeyText() ?? ""))
                diagnostics.Report(key.Location(), null, key.KeyText(), $"'{key.KeyText()}' is not a template section.");
        YamlNode? Section(string name) => root.Children.FirstOrDefault(c => c.Key.KeyText() == name).Value;
        if (Section("Transform") is { } transform)
            diagnostics.Report(transform.Location(), null, "Transform", "Transforms (macros, AWS::Serverless) are not supported by Elbe.");
        var resourcesKey = root.Children.Keys.FirstOrDefault(k => k.KeyText() == "Resources");
        if (Section("Resources") is not YamlMappingNode resourcesNode || resourcesNode.Children.Count == 0)
        {
            diagnostics.Report(resourcesKey?.Location() ?? root.Location(), null, "Resources", "The template needs a Resources section with at least one resource.");
            return null;
        }

        var parameters = TemplateParameters.Read(Section("Parameters") as YamlMappingNode, diagnostics);
        var resources = ReadResources(resourcesNode, diagnostics);
        var stackName = context.StackName ?? Path.GetFileNameWithoutExtension(fileName);
        var graph = new StackGraph(diagnostics, context, stackName, resources, parameters, Section("Mappings") as YamlMappingNode);
        var locator = new ValidationErrorLocator(diagnostics, resourcesKey?.Location() ?? root.Location());

        var loadBalancers = new List<LoadBalancer>();
        var nodeRequests = new List<NodeAllocationRequest>();
        var targetGroups = new List<TargetGroup>();
        var listeners = new List<Listener>();
        var rules = new List<ListenerRule>();
        var instances = new List<Instance>();
        var listenerCertificates = new List<ListenerCertificateReader.Attachment>();
        var sources = new Dictionary<string, (string Type, TemplateMap Properties)>(StringComparer.Ordinal);
        foreach (var resource in resources.Values)
        {
            if (!ResourceTypes.IsSupported(resource.Type)) continue;
            ResourceIdentity identity;
            try
            {
                identity = graph.Identity(resource);
            }
            catch (TemplateFault fault)
            {
                diagnostics.Add(fault.Error);
                graph.AllProperties(resource);
                continue;
            }
            if (graph.AllProperties(resource) is not { } properties) continue;
            locator.Register(identity.Arn, resource, properties);
            sources[identity.Arn] = (resource.Type, properties);
            switch (resource.Type)
            {
                case ResourceTypes.LoadBalancer:
                    var (lb, request) = LoadBalancerReader.Read(resource, properties, identity, diagnostics, context);
                    loadBalancers.Add(lb);
                    nodeRequests.Add(request);
                    break;
                case ResourceTypes.TargetGroup:
                    targetGroups.Add(TargetGroupReader.Read(resource, properties, identity, diagnostics));
                    break;
                case ResourceTypes.Listener:
                    listeners.Add(ListenerReader.Read(resource, properties, identity, diagnostics));
                    break;
                case ResourceTypes.ListenerRule:
                    rules.Add(ListenerRuleReader.Read(resource, properties, identity, diagnostics));
                    break;
                case ResourceTypes.ListenerCertificate:
                    listenerCertificates.Add(ListenerCertificateReader.Read(resource, properties, identity, diagnostics));
                    break;
                case ResourceTypes.Instance:
                    if (InstanceReader.Read(resource, properties, identity, diagnostics) is { } instance) instances.Add(instance);
                    break;
            }
        }
        var attachedTo = ListenerCertificateReader.Attach(listeners, listenerCertificates, diagnostics);
        if (diagnostics.Errors.Count > 0) return null;

        var allocation = new NodeAddressAllocator(context.EffectiveSubnets, context.Previous).Allocate(nodeRequests);
        foreach (var error in allocation.Errors) diagnostics.Add(locator.Locate(error));
        if (diagnostics.Errors.Count > 0) return null;

        var configuration = new ElbeConfiguration
        {
            Region = context.Region,
            AccountId = context.AccountId,
            LoadBalancers = [.. loadBalancers.Select(lb => lb with { Nodes = allocation.NodesByLoadBalancerArn[lb.Arn] })],
            TargetGroups = [.. targetGroups],
            Listeners = [.. listeners],
            Rules = [.. rules],
            Instances = [.. instances],
        };
        var validator = context.Validator ?? ModelChecks.Collect;
        // Certificates come only through the ACM API, never from a template: listeners may name the ones stored.
        var checkedConfiguration = configuration with { Certificates = context.Previous?.Certificates ?? [] };
        foreach (var error in validator(checkedConfiguration)) diagnostics.Add(locator.Locate(error));
        foreach (var error in HostFactValidator.Collect(checkedConfiguration, context.Host)) diagnostics.Add(locator.Locate(error));

        // Only the resources that made it into the configuration (an instance without an address does not).
        var fingerprints = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, IReadOnlyList<LoadBalancerNode>? nodes) => fingerprints[key] = TemplateFingerprint.Of(sources[key].Type, sources[key].Properties, nodes);
        foreach (var lb in configuration.LoadBalancers) Add(lb.Arn, lb.Nodes);
        foreach (var tg in configuration.TargetGroups) Add(tg.Arn, null);
        foreach (var listener in configuration.Listeners)
        {
            Add(listener.Arn, null);
            // A ListenerCertificate edits its listener: its properties count as the listener's, so changing it is a template edit.
            if (attachedTo.TryGetValue(listener.Arn, out var attached))
                fingerprints[listener.Arn] = string.Join('+', [fingerprints[listener.Arn], .. attached.Select(key => TemplateFingerprint.Of(sources[key].Type, sources[key].Properties, null))]);
        }
        foreach (var rule in configuration.Rules) Add(rule.Arn, null);
        foreach (var instance in configuration.Instances) Add(instance.InstanceId, null);
        return new LoadedTemplate(configuration, fingerprints);
    }

    private static YamlMappingNode? Parse(string text, TemplateDiagnostics diagnostics)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var message = e.InnerException is { } inner && inner.Message != e.Message ? e.Message + " " + inner.Message : e.Message;
            // YamlDotNet prefixes its messages with the position, which the error line already shows.
            var cut = message.IndexOf("): ", StringComparison.Ordinal);
            if (message.StartsWith("(Line", StringComparison.Ordinal) && cut > 0) message = message[(cut + 3)..];
            diagnostics.Report(YamlNodes.At(e.Start), null, null, "YAML syntax error: " + message);
            return null;
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            diagnostics.Report(new TemplateLocation(1, 1), null, null, "A template must be a single YAML or JSON object.");
            return null;
        }
        return root;
    }

    private static Dictionary<string, StackResource> ReadResources(YamlMappingNode section, TemplateDiagnostics diagnostics)
    {
        var resources = new Dictionary<string, StackResource>(StringComparer.Ordinal);
        foreach (var (key, node) in section.Children)
        {
            var logicalId = key.KeyText() ?? "";
            var path = "Resources." + logicalId;
            var at = key.Location();
            if (logicalId.Length == 0 || !logicalId.All(char.IsAsciiLetterOrDigit))
                diagnostics.Report(at, logicalId, path, "Logical ids must be alphanumeric.");
            if (node is not YamlMappingNode definition)
            {
                diagnostics.Report(node.Location(), logicalId, path, "A resource must be an object with Type and Properties.");
                continue;
            }
            foreach (var (k, v) in definition.Children)
            {
                var name = k.KeyText() ?? "";
                if (!ResourceKeys.Contains(name))
                    diagnostics.Report(k.Location(), logicalId, path + "." + name, $"'{name}' is not a resource attribute.");
                else if (name == "Condition")
                    diagnostics.Report(k.Location(), logicalId, path + ".Condition", "Conditions are not supported by Elbe.");
            }
            YamlNode? Child(string name) => definition.Children.FirstOrDefault(c => c.Key.KeyText() == name).Value;
            if (Child("Type") is not YamlScalarNode { Value: { Length: > 0 } type })
            {
                diagnostics.Report(at, logicalId, path + ".Type", "Type is required.");
                continue;
            }
            var properties = Child("Properties");
            if (properties is not null and not YamlMappingNode && !properties.IsNull())
            {
                diagnostics.Report(properties.Location(), logicalId, path + ".Properties", "Properties must be an object.");
                continue;
            }
            if (!ResourceTypes.IsSupported(type))
                diagnostics.Warn(at, logicalId, $"{path}: {type} is not supported by Elbe; the resource is skipped.");
            resources[logicalId] = new StackResource(logicalId, type, properties as YamlMappingNode, at);
        }
        foreach (var (key, node) in section.Children)
        {
            if (node is not YamlMappingNode definition) continue;
            var dependsOn = definition.Children.FirstOrDefault(c => c.Key.KeyText() == "DependsOn").Value;
            var names = dependsOn switch
            {
                YamlScalarNode s => [s],
                YamlSequenceNode seq => seq.Children.ToList(),
                _ => [],
            };
            foreach (var name in names)
                if (name is not YamlScalarNode { Value: { } target } || !resources.ContainsKey(target))
                    diagnostics.Report(name.Location(), key.KeyText(), $"Resources.{key.KeyText()}.DependsOn",
                        $"DependsOn names '{(name as YamlScalarNode)?.Value}', which is not a resource of this template.");
        }
        return resources;
    }
}
