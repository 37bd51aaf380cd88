namespace Elbe.ControlPlane.State;

/// <summary>Where a resource was first created. API edits keep the origin; it decides what a template import may touch.</summary>
public enum ResourceOrigin { Template, Api }

internal static class ResourceOriginNames
{
    public static string ToStorageName(this ResourceOrigin origin) => origin == ResourceOrigin.Template ? "template" : "api";

    public static ResourceOrigin FromStorageName(string name) => name switch
    {
        "template" => ResourceOrigin.Template,
        "api" => ResourceOrigin.Api,
        _ => throw new InvalidDataException($"Unknown resource origin '{name}' in the store."),
    };
}
