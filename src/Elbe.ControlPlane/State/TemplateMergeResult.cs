namespace Elbe.ControlPlane.State;

/// <summary>What a template import did, by resource key (ARN, or instance id).</summary>
public sealed record TemplateMergeResult
{
    /// <summary>New in the template (or re-added by a template edit after an API delete).</summary>
    public IReadOnlyList<string> Inserted { get; init; } = [];
    /// <summary>The template's version of the resource changed since the last import, so it replaced the stored one.</summary>
    public IReadOnlyList<string> Replaced { get; init; } = [];
    /// <summary>Template resources deleted because the template no longer has them.</summary>
    public IReadOnlyList<string> Deleted { get; init; } = [];
    /// <summary>Unchanged in the template, so the stored version (possibly edited, or deleted, through the API) stands.</summary>
    public IReadOnlyList<string> Kept { get; init; } = [];
    /// <summary>In the template, but the key belongs to an API-created resource, which the template never touches.</summary>
    public IReadOnlyList<string> Conflicts { get; init; } = [];

    public bool ChangedAnything => Inserted.Count + Replaced.Count + Deleted.Count > 0;
}
