using Elbe.Routing.Tls;

namespace Elbe.Routing.Tests.Tls;

public sealed class CertificateSelectorTests
{
    private static readonly DateTimeOffset Expiry = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ServerCertificateCandidate Rsa(params string[] names) => new(names, TlsKeyAlgorithm.Rsa, 2048, Expiry);
    private static ServerCertificateCandidate Ecdsa(params string[] names) => new(names, TlsKeyAlgorithm.Ecdsa, 256, Expiry);

    [Fact]
    public void Exact_name_wins_over_a_wildcard_that_also_matches()
    {
        var selector = new CertificateSelector([Rsa("default.example.com"), Rsa("*.example.com"), Rsa("api.example.com")]);

        Assert.Equal(2, selector.Select("api.example.com", ClientKeySupport.Any));
        Assert.Equal(1, selector.Select("www.example.com", ClientKeySupport.Any));
    }

    [Theory]
    [InlineData("")]
    [InlineData("unknown.test")]
    [InlineData("a.b.example.com")]
    [InlineData("example.com")]
    public void No_match_or_no_sni_selects_the_default(string serverName)
    {
        var selector = new CertificateSelector([Rsa("default.test"), Rsa("*.example.com")]);

        Assert.Equal(CertificateSelector.DefaultIndex, selector.Select(serverName, ClientKeySupport.Any));
    }

    [Fact]
    public void Names_match_case_insensitively_and_ignore_a_trailing_dot()
    {
        var selector = new CertificateSelector([Rsa("default.test"), Rsa("API.Example.com"), Rsa("*.Apps.Example.com")]);

        Assert.Equal(1, selector.Select("api.example.COM.", ClientKeySupport.Any));
        Assert.Equal(2, selector.Select("Shop.apps.example.com", ClientKeySupport.Any));
    }

    [Fact]
    public void Ecdsa_is_preferred_when_the_client_supports_it_and_rsa_otherwise()
    {
        var selector = new CertificateSelector([Rsa("default.test"), Rsa("both.test"), Ecdsa("both.test")]);

        Assert.Equal(2, selector.Select("both.test", new ClientKeySupport(Rsa: true, Ecdsa: true)));
        Assert.Equal(1, selector.Select("both.test", new ClientKeySupport(Rsa: true, Ecdsa: false)));
        Assert.Equal(2, selector.Select("both.test", new ClientKeySupport(Rsa: false, Ecdsa: true)));
    }

    [Fact]
    public void Among_matches_of_one_key_type_the_larger_key_then_the_later_expiry_wins()
    {
        var selector = new CertificateSelector(
        [
            Rsa("default.test"),
            new(["x.test"], TlsKeyAlgorithm.Rsa, 2048, Expiry.AddYears(5)),
            new(["x.test"], TlsKeyAlgorithm.Rsa, 4096, Expiry),
            new(["y.test"], TlsKeyAlgorithm.Rsa, 2048, Expiry),
            new(["y.test"], TlsKeyAlgorithm.Rsa, 2048, Expiry.AddYears(1)),
        ]);

        Assert.Equal(2, selector.Select("x.test", ClientKeySupport.Any));
        Assert.Equal(4, selector.Select("y.test", ClientKeySupport.Any));
    }

    [Fact]
    public void A_client_supporting_none_of_the_matches_gets_the_most_preferred_match()
    {
        var selector = new CertificateSelector([Rsa("default.test"), Ecdsa("e.test")]);

        Assert.Equal(1, selector.Select("e.test", new ClientKeySupport(Rsa: true, Ecdsa: false)));
    }

    [Fact]
    public void The_default_certificate_takes_part_in_matching()
    {
        var selector = new CertificateSelector([Ecdsa("shared.test"), Rsa("shared.test")]);

        Assert.Equal(1, selector.Select("shared.test", new ClientKeySupport(Rsa: true, Ecdsa: false)));
        Assert.Equal(0, selector.Select("shared.test", ClientKeySupport.Any));
    }
}
