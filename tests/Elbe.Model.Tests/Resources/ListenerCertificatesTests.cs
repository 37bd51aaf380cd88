using Elbe.Model.Resources;

namespace Elbe.Model.Tests.Resources;

public sealed class ListenerCertificatesTests
{
    private static Listener Listener() => new() { Arn = "arn:listener", LoadBalancerArn = "arn:lb", Port = 443, Protocol = "HTTPS" };

    [Fact]
    public void The_default_comes_first_then_the_added_ones()
    {
        var listener = Listener() with { CertificateArns = ["default"], AdditionalCertificateArns = ["b", "c"] };
        Assert.Equal(["default", "b", "c"], ListenerCertificates.All(listener));
    }

    [Fact]
    public void Default_arrays_count_as_empty()
    {
        var listener = Listener() with { CertificateArns = default, AdditionalCertificateArns = default };
        Assert.Empty(ListenerCertificates.All(listener));
    }
}
