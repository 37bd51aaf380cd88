namespace Elbe.Model.Validation;

/// <summary>Name rules for load balancers and target groups (1-32 of <c>[A-Za-z0-9-]</c>, no hyphen at either end).</summary>
public static class ResourceNameRules
{
    public const int MaxLength = 32;

    /// <summary>Null when the name is valid, else the reason.</summary>
    public static string? CheckLoadBalancerName(string name)
    {
        if (CheckCommon(name, "Load balancer") is { } why) return why;
        // AWS reserves the prefix because internal load balancers' DNS names start with it.
        return name.StartsWith("internal-", StringComparison.OrdinalIgnoreCase)
            ? "Load balancer name cannot begin with 'internal-'" : null;
    }

    public static string? CheckTargetGroupName(string name) => CheckCommon(name, "Target group");

    private static string? CheckCommon(string name, string what)
    {
        if (string.IsNullOrEmpty(name)) return $"{what} name cannot be empty";
        if (name.Length > MaxLength) return $"{what} name '{name}' cannot be longer than {MaxLength} characters";
        foreach (var c in name)
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                return $"{what} name '{name}' can contain only alphanumeric characters and hyphens";
        if (name[0] == '-' || name[^1] == '-') return $"{what} name '{name}' cannot begin or end with a hyphen";
        return null;
    }
}
