using System.Text;
using Elbe.Model.Identifiers;

namespace Elbe.ControlPlane.Templates;

/// <summary>
/// Names for resources whose template gives none, shaped like CloudFormation's (stack-logicalId-suffix, at most
/// 32 characters) but with the suffix derived from the logical id so reloads and restarts keep the name.
/// </summary>
internal static class GeneratedNames
{
    private const int MaxLength = 32;
    private const int SuffixLength = 12;

    public static string For(string stackName, string logicalId)
    {
        var stack = Clean(stackName);
        var logical = Clean(logicalId);
        var budget = MaxLength - SuffixLength - 2;
        var stackPart = stack[..Math.Min(stack.Length, Math.Max(8, budget - logical.Length))];
        var logicalPart = logical[..Math.Min(logical.Length, budget - stackPart.Length)];
        var name = string.Join('-', new[] { stackPart, logicalPart, Suffix(stackName, logicalId) }.Where(p => p.Length > 0));
        // "internal-" would be read as the scheme prefix of a DNS name.
        return name.StartsWith("internal-", StringComparison.OrdinalIgnoreCase) ? "i" + name[1..^1] : name;
    }

    private static string Clean(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text)
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        return sb.ToString().Trim('-');
    }

    private static string Suffix(string stackName, string logicalId)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var hex = Arns.StableId("name:" + stackName + "/" + logicalId) + Arns.StableId("name2:" + stackName + "/" + logicalId);
        var sb = new StringBuilder(SuffixLength);
        for (var i = 0; i < SuffixLength; i++)
            sb.Append(alphabet[Convert.ToInt32(hex.Substring(i * 2, 2), 16) % alphabet.Length]);
        return sb.ToString();
    }
}
