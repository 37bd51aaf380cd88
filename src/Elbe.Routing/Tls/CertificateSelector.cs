namespace Elbe.Routing.Tls;

/// <summary>
/// Picks a listener's certificate for a handshake as ALB does: the certificates whose names match the SNI host
/// exactly, else those matching it by wildcard; among them the best one the client can use (ECDSA before RSA,
/// then the larger key, then the later expiry); the default certificate (index 0) when nothing matches or the
/// client sent no SNI. Built once per listener snapshot; a selection is two dictionary lookups.
/// </summary>
public sealed class CertificateSelector
{
    public const int DefaultIndex = 0;

    private readonly Dictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _exact;
    private readonly Dictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _wildcard;
    private readonly IReadOnlyList<ServerCertificateCandidate> _candidates;

    /// <param name="candidates">The default certificate first, then the listener's certificate list.</param>
    public CertificateSelector(IReadOnlyList<ServerCertificateCandidate> candidates)
    {
        _candidates = candidates;
        var exact = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        var wildcard = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < candidates.Count; i++)
        {
            foreach (var raw in candidates[i].DnsNames)
            {
                var name = raw.TrimEnd('.');
                // Only a whole leftmost label may be a wildcard ("*.example.com"); anything else is a literal name.
                var (map, key) = name.StartsWith("*.", StringComparison.Ordinal) ? (wildcard, name[2..]) : (exact, name);
                if (key.Length == 0) continue;
                if (!map.TryGetValue(key, out var list)) map[key] = list = [];
                if (!list.Contains(i)) list.Add(i);
            }
        }
        _exact = Ordered(exact).GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcard = Ordered(wildcard).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _candidates.Count;

    /// <summary>The index of the certificate to present.</summary>
    public int Select(ReadOnlySpan<char> serverName, ClientKeySupport client)
    {
        if (serverName.EndsWith(".")) serverName = serverName[..^1];
        if (serverName.IsEmpty) return DefaultIndex;
        if (_exact.TryGetValue(serverName, out var matches)) return Best(matches, client);
        var dot = serverName.IndexOf('.');
        if (dot > 0 && _wildcard.TryGetValue(serverName[(dot + 1)..], out matches)) return Best(matches, client);
        return DefaultIndex;
    }

    /// <summary>The first match (they are in preference order) the client supports; the most preferred when it supports none.</summary>
    private int Best(int[] matches, ClientKeySupport client)
    {
        foreach (var index in matches)
            if (client.Supports(_candidates[index].KeyAlgorithm)) return index;
        return matches[0];
    }

    private Dictionary<string, int[]> Ordered(Dictionary<string, List<int>> map)
    {
        var ordered = new Dictionary<string, int[]>(map.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, indices) in map)
            ordered[name] = [.. indices.OrderBy(i => i, Comparer<int>.Create(Compare))];
        return ordered;
    }

    /// <summary>Preference: ECDSA over RSA, larger key, later expiry, then list order.</summary>
    private int Compare(int a, int b)
    {
        var x = _candidates[a];
        var y = _candidates[b];
        if (x.KeyAlgorithm != y.KeyAlgorithm) return x.KeyAlgorithm == TlsKeyAlgorithm.Ecdsa ? -1 : 1;
        if (x.KeySize != y.KeySize) return y.KeySize.CompareTo(x.KeySize);
        if (x.NotAfter != y.NotAfter) return y.NotAfter.CompareTo(x.NotAfter);
        return a.CompareTo(b);
    }
}
