namespace Elbe.ControlPlane.State;

/// <summary>
/// What the store knows about a resource besides its content. <paramref name="TemplateHash"/> is the hash of the
/// template's version at the last import that wrote it (null for API-created resources); <paramref name="Sequence"/>
/// orders resources on reload, so they come back in the order they were created.
/// </summary>
internal sealed record ResourceEntry(ResourceKind Kind, ResourceOrigin Origin, string? TemplateHash, long Sequence);
