namespace Elbe.ControlPlane.Templates;

/// <summary>What names in a template stand for: parameters, pseudo parameters, resources and their attributes.</summary>
internal interface ITemplateSymbols
{
    /// <summary>The value of Ref; null for AWS::NoValue.</summary>
    TemplateValue? Ref(string name, TemplateLocation at, string? logicalId, string path);

    TemplateValue GetAtt(string resource, string attribute, TemplateLocation at, string? logicalId, string path);

    TemplateValue FindInMap(string map, string topKey, string secondKey, TemplateLocation at, string? logicalId, string path);

    IReadOnlyList<string> AvailabilityZones { get; }
}
