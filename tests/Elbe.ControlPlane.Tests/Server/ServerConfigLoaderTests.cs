using Elbe.ControlPlane.Server;
using Elbe.ControlPlane.Templates;

namespace Elbe.ControlPlane.Tests.Server;

public sealed class ServerConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elbe-server-config").FullName;

    private string Write(string text)
    {
        var path = Path.Combine(_dir, "server.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Maps_subnets_to_given_addresses()
    {
        var config = ServerConfigLoader.Load(Write("""
            subnets:
              - SubnetId: subnet-0000000000000000a
                AvailabilityZone: us-east-1a
                CidrBlock: 127.9.9.9/32
              - SubnetId: subnet-0000000000000000b
                AvailabilityZone: us-east-1b
                CidrBlock: 127.9.8.0/24
            """));
        Assert.NotNull(config.Subnets);
        Assert.Equal(["subnet-0000000000000000a", "subnet-0000000000000000b"], config.Subnets!.Select(s => s.SubnetId));
        Assert.Equal("127.9.9.9/32", config.Subnets[0].Cidr);
        Assert.Equal("us-east-1b", config.Subnets[1].ZoneName);
    }

    [Fact]
    public void Bad_cidr_is_refused_with_line_and_field()
    {
        var error = Assert.Throws<TemplateException>(() => ServerConfigLoader.Load(Write("""
            subnets:
              - SubnetId: subnet-0000000000000000a
                AvailabilityZone: us-east-1a
                CidrBlock: 300.1.1.1/32
            """)));
        var only = Assert.Single(error.Errors);
        Assert.Equal(4, only.Line);
        Assert.Equal("subnets[0].CidrBlock", only.PropertyPath);
        Assert.Contains("server.yaml", error.Message);
    }

    [Fact]
    public void Unknown_field_and_missing_fields_are_refused()
    {
        var unknown = Assert.Throws<TemplateException>(() => ServerConfigLoader.Load(Write("""
            subnets:
              - SubnetId: subnet-0000000000000000a
                Zone: us-east-1a
            """)));
        Assert.Equal("subnets[0].Zone", unknown.Errors[0].PropertyPath);

        var missing = Assert.Throws<TemplateException>(() => ServerConfigLoader.Load(Write("""
            subnets:
              - SubnetId: subnet-0000000000000000a
            """)));
        Assert.Contains("required", missing.Errors[0].Message);
        Assert.Equal(2, missing.Errors[0].Line);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
