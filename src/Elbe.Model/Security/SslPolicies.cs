using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net.Security;
using Elbe.Model.Resources;

namespace Elbe.Model.Security;

/// <summary>
/// The predefined ELBv2 security policies (ALB and NLB listeners), in the order DescribeSSLPolicies lists them.
/// Each policy takes a subset of one master cipher list and keeps its relative order, renumbering priorities
/// from 1.
/// </summary>
public static class SslPolicies
{
    /// <summary>What HTTPS/TLS listeners get when the caller names no policy.</summary>
    public const string DefaultPolicyName = "ELBSecurityPolicy-2016-08";

    /// <summary>An ALB's TLS to targets uses this when the listener's policy is a TLS 1.3 one …</summary>
    public const string Tls13BackendPolicyName = "ELBSecurityPolicy-TLS13-1-0-2021-06";

    /// <summary>… and the default policy otherwise.</summary>
    public const string BackendPolicyName = DefaultPolicyName;

    // The master list, numbered 1-22 in preference order; policies below refer to these numbers.
    private static readonly (string Name, TlsCipherSuite Suite)[] Master =
    [
        ("TLS_AES_128_GCM_SHA256", TlsCipherSuite.TLS_AES_128_GCM_SHA256),
        ("TLS_AES_256_GCM_SHA384", TlsCipherSuite.TLS_AES_256_GCM_SHA384),
        ("TLS_CHACHA20_POLY1305_SHA256", TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256),
        ("ECDHE-ECDSA-AES128-GCM-SHA256", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
        ("ECDHE-RSA-AES128-GCM-SHA256", TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256),
        ("ECDHE-ECDSA-AES128-SHA256", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256),
        ("ECDHE-RSA-AES128-SHA256", TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256),
        ("ECDHE-ECDSA-AES128-SHA", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA),
        ("ECDHE-RSA-AES128-SHA", TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA),
        ("ECDHE-ECDSA-AES256-GCM-SHA384", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384),
        ("ECDHE-RSA-AES256-GCM-SHA384", TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384),
        ("ECDHE-ECDSA-AES256-SHA384", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384),
        ("ECDHE-RSA-AES256-SHA384", TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384),
        ("ECDHE-RSA-AES256-SHA", TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA),
        ("ECDHE-ECDSA-AES256-SHA", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA),
        ("AES128-GCM-SHA256", TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256),
        ("AES128-SHA256", TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256),
        ("AES128-SHA", TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA),
        ("AES256-GCM-SHA384", TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384),
        ("AES256-SHA256", TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256),
        ("AES256-SHA", TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA),
        ("DES-CBC3-SHA", TlsCipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA),
    ];

    private static readonly string[] Only13 = [SslPolicy.Tls13];
    private static readonly string[] From12With13 = [SslPolicy.Tls12, SslPolicy.Tls13];
    private static readonly string[] From11With13 = [SslPolicy.Tls11, SslPolicy.Tls12, SslPolicy.Tls13];
    private static readonly string[] From10With13 = [SslPolicy.Tls10, SslPolicy.Tls11, SslPolicy.Tls12, SslPolicy.Tls13];
    private static readonly string[] Only12 = [SslPolicy.Tls12];
    private static readonly string[] From11 = [SslPolicy.Tls11, SslPolicy.Tls12];
    private static readonly string[] From10 = [SslPolicy.Tls10, SslPolicy.Tls11, SslPolicy.Tls12];

    public static ImmutableArray<SslPolicy> All { get; } =
    [
        Policy("ELBSecurityPolicy-TLS13-1-3-2021-06", Only13, Numbers(1, 3)),
        Policy("ELBSecurityPolicy-TLS13-1-2-2021-06", From12With13, [.. Numbers(1, 7), .. Numbers(10, 13)]),
        Policy("ELBSecurityPolicy-TLS13-1-2-Res-2021-06", From12With13, [.. Numbers(1, 5), 10, 11]),
        Policy("ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", From12With13, [.. Numbers(1, 7), .. Numbers(10, 13), 16, 17, 19, 20]),
        Policy("ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", From12With13, [.. Numbers(1, 13), 15, 14, .. Numbers(16, 21)]),
        Policy("ELBSecurityPolicy-TLS13-1-1-2021-06", From11With13, Numbers(1, 21)),
        Policy("ELBSecurityPolicy-TLS13-1-0-2021-06", From10With13, Numbers(1, 21)),
        Policy("ELBSecurityPolicy-FS-1-2-Res-2020-10", Only12, [4, 5, 10, 11]),
        Policy("ELBSecurityPolicy-FS-1-2-Res-2019-08", Only12, [.. Numbers(4, 7), .. Numbers(10, 13)]),
        Policy("ELBSecurityPolicy-FS-1-2-2019-08", Only12, Numbers(4, 15)),
        Policy("ELBSecurityPolicy-FS-1-1-2019-08", From11, Numbers(4, 15)),
        Policy("ELBSecurityPolicy-FS-2018-06", From10, Numbers(4, 15)),
        Policy("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", Only12, Numbers(4, 21)),
        Policy("ELBSecurityPolicy-TLS-1-2-2017-01", Only12, [.. Numbers(4, 7), .. Numbers(10, 13), 16, 17, 19, 20]),
        Policy("ELBSecurityPolicy-TLS-1-1-2017-01", From11, Numbers(4, 21)),
        Policy(DefaultPolicyName, From10, Numbers(4, 21)),
        Policy("ELBSecurityPolicy-2015-05", From10, Numbers(4, 21)),
        Policy("ELBSecurityPolicy-TLS-1-0-2015-04", From10, Numbers(4, 22)),
    ];

    private static readonly FrozenDictionary<string, SslPolicy> ByName = All.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);

    /// <summary>Policy names are case-sensitive, as in AWS.</summary>
    public static SslPolicy? Find(string name) => ByName.GetValueOrDefault(name);

    public static bool Exists(string name) => ByName.ContainsKey(name);

    /// <summary>The policy an ALB uses for TLS to its targets, given the listener's policy.</summary>
    public static SslPolicy BackendPolicyFor(string? listenerPolicyName) =>
        ByName[listenerPolicyName is not null && Find(listenerPolicyName) is { IsTls13Policy: true } ? Tls13BackendPolicyName : BackendPolicyName];

    private static int[] Numbers(int first, int last) => [.. Enumerable.Range(first, last - first + 1)];

    private static SslPolicy Policy(string name, string[] protocols, int[] cipherNumbers)
    {
        var ciphers = new SslCipher[cipherNumbers.Length];
        for (var i = 0; i < cipherNumbers.Length; i++)
        {
            var (cipherName, suite) = Master[cipherNumbers[i] - 1];
            ciphers[i] = new SslCipher(cipherName, i + 1, suite);
        }
        return new SslPolicy(name, [.. protocols], [.. ciphers], [LoadBalancerType.Application, LoadBalancerType.Network]);
    }
}
