namespace Elbe.Routing.Rules;

/// <summary>
/// source-ip: the TCP peer of the client connection (never X-Forwarded-For) must fall in one of the CIDR blocks.
/// </summary>
public sealed class SourceIpMatcher : IConditionMatcher
{
    private readonly SourceIpBlock[] _blocks;

    public SourceIpMatcher(IEnumerable<string> cidrs)
    {
        var blocks = new List<SourceIpBlock>();
        foreach (var cidr in cidrs)
        {
            if (!SourceIpBlock.TryParse(cidr, out var block))
                throw new ArgumentException($"'{cidr}' is not a valid CIDR block.", nameof(cidrs));
            blocks.Add(block);
        }
        _blocks = [.. blocks];
    }

    public bool Matches(in RoutingRequest request)
    {
        var address = SourceAddress.From(request.RemoteAddress);
        foreach (ref readonly var b in _blocks.AsSpan())
            if (b.Contains(address)) return true;
        return false;
    }
}
