using System.Net.Security;
using System.Runtime.Versioning;
using System.Security.Authentication;
using Elbe.Routing.Tls;

namespace Elbe.Routing.Tests.Tls;

/// <summary>Real ClientHellos, as .NET's own TLS client writes them, read back by the parser.</summary>
[SupportedOSPlatform("linux")]
public sealed class ClientHelloParserTests
{
    [Fact]
    public async Task Reads_the_server_name_and_sees_both_key_types_offered_by_a_default_client()
    {
        var bytes = await ClientHelloAsync(new SslClientAuthenticationOptions { TargetHost = "api.example.com" });

        var status = ClientHelloParser.TryParse(bytes, out var hello);

        Assert.Equal(ClientHelloParseStatus.Parsed, status);
        Assert.Equal("api.example.com", hello!.ServerName);
        Assert.Equal(new ClientKeySupport(Rsa: true, Ecdsa: true), hello.KeySupport);
    }

    [Fact]
    public async Task A_tls12_client_offering_only_rsa_suites_cannot_use_ecdsa()
    {
        var bytes = await ClientHelloAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "both.example.com",
            EnabledSslProtocols = SslProtocols.Tls12,
            CipherSuitesPolicy = new CipherSuitesPolicy([TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]),
        });

        ClientHelloParser.TryParse(bytes, out var hello);

        Assert.Equal((new ClientKeySupport(Rsa: true, Ecdsa: false), false), (hello!.KeySupport, hello.OffersTls13));
    }

    [Fact]
    public async Task A_tls12_client_offering_only_ecdsa_suites_cannot_use_rsa()
    {
        var bytes = await ClientHelloAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "both.example.com",
            EnabledSslProtocols = SslProtocols.Tls12,
            CipherSuitesPolicy = new CipherSuitesPolicy([TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]),
        });

        ClientHelloParser.TryParse(bytes, out var hello);

        Assert.Equal(new ClientKeySupport(Rsa: false, Ecdsa: true), hello!.KeySupport);
    }

    [Fact]
    public async Task A_record_not_yet_complete_asks_for_more_bytes()
    {
        var bytes = await ClientHelloAsync(new SslClientAuthenticationOptions { TargetHost = "x.test" });

        Assert.Equal(ClientHelloParseStatus.Incomplete, ClientHelloParser.TryParse(bytes.AsSpan(0, 3), out _));
        Assert.Equal(ClientHelloParseStatus.Incomplete, ClientHelloParser.TryParse(bytes.AsSpan(0, bytes.Length - 1), out _));
    }

    [Theory]
    [InlineData("474554202f20485454502f312e310d0a")] // "GET / HTTP/1.1\r\n"
    [InlineData("1503010002020a")] // an alert record
    [InlineData("160301000402000000")] // a handshake record holding a ServerHello
    public void Anything_but_a_client_hello_is_reported_as_such(string hex)
    {
        Assert.Equal(ClientHelloParseStatus.NotClientHello, ClientHelloParser.TryParse(Convert.FromHexString(hex), out _));
    }

    [Fact]
    public void A_truncated_client_hello_inside_a_complete_record_supports_everything()
    {
        // Record of 6 bytes: ClientHello header claiming 200 bytes, then only the version.
        var bytes = Convert.FromHexString("16030100060100 00c8 0303".Replace(" ", "", StringComparison.Ordinal));

        var status = ClientHelloParser.TryParse(bytes, out var hello);

        Assert.Equal((ClientHelloParseStatus.Parsed, ClientKeySupport.Any, (string?)null), (status, hello!.KeySupport, hello.ServerName));
    }

    /// <summary>The first bytes a .NET client writes: its ClientHello. The handshake is then cut off.</summary>
    private static async Task<byte[]> ClientHelloAsync(SslClientAuthenticationOptions options)
    {
        var capture = new FirstWriteStream();
        await using var ssl = new SslStream(capture);
        options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAnyAsync<Exception>(() => ssl.AuthenticateAsClientAsync(options, timeout.Token));
        return capture.Written;
    }

    private sealed class FirstWriteStream : Stream
    {
        private readonly MemoryStream _written = new();

        public byte[] Written => _written.ToArray();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("cut off after the ClientHello");
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new IOException("cut off after the ClientHello");
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => throw new IOException("cut off after the ClientHello");
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _written.Write(buffer, offset, count);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _written.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            _written.Write(buffer, offset, count);
            return Task.CompletedTask;
        }
    }
}
