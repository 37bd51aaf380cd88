namespace Elbe.Commands;

/// <summary>"--name value" options after a verb; a flag without a value reads as "true".</summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    public CommandLine(string[] args, IReadOnlySet<string> known)
    {
        Verb = args.Length > 0 ? args[0] : "";
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || !known.Contains(arg[2..]))
                throw new ArgumentException($"unknown option '{arg}'");
            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            _options[arg[2..]] = hasValue ? args[++i] : "true";
        }
    }

    public string Verb { get; }

    public string? Get(string name) => _options.TryGetValue(name, out var v) ? v : null;
}
