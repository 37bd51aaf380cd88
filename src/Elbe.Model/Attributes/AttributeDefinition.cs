namespace Elbe.Model.Attributes;

/// <summary>One attribute key: its default and the check its values must pass (null when valid, else the reason).</summary>
public sealed record AttributeDefinition(string Key, string Default, Func<string, string?> Check);

internal static class AttributeChecks
{
    public static Func<string, string?> Bool => v => v is "true" or "false" ? null : "must be true or false";

    public static Func<string, string?> IntRange(int min, int max) => v =>
        int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? null : $"must be an integer from {min} to {max}";

    public static Func<string, string?> OneOf(params string[] allowed) => v =>
        Array.IndexOf(allowed, v) >= 0 ? null : "must be one of: " + string.Join(", ", allowed);

    public static Func<string, string?> Any => _ => null;
}
