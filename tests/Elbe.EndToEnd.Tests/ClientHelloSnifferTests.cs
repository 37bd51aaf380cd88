using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Elbe.EndToEnd.Tests.Infrastructure;
using Elbe.Tests.Certificates;

namespace Elbe.EndToEnd.Tests;

/// <summary>
/// The ClientHello is peeked before the TLS handshake, whole or arriving in pieces: either way the certificate is
/// chosen for the key types the client can use.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ClientHelloSnifferTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_rsa_only_client_gets_the_rsa_certificate_whether_its_client_hello_arrives_whole_or_in_pieces(bool inPieces)
    {
        await using var setup = await HttpsSetup.StartAsync();
        var defaultArn = await setup.ImportAsync(TestCertificates.Server("default.example.com"));
        var rsa = await setup.ImportAsync(TestCertificates.Server("both-rsa", ["both.example.com"], TestKeyType.Rsa2048));
        var ecdsa = await setup.ImportAsync(TestCertificates.Server("both-ecdsa", ["both.example.com"], TestKeyType.EcP256));
        await setup.Elbe.ReloadAsync(setup.Template()
            .HttpsListener(CfnActions.Forward(HttpsSetup.TargetGroupName), defaultArn)
            .ListenerCertificates("Extra", [rsa, ecdsa])
            .ToString());

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(setup.Node), HttpsSetup.Port));
        Stream transport = new NetworkStream(socket, ownsSocket: false);
        if (inPieces) transport = new FirstWriteSplitter(transport, TimeSpan.FromMilliseconds(300));
        await using var tls = new SslStream(transport);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));

        // Without the peeked ClientHello the ECDSA certificate would be preferred, and this client cannot use it.
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "both.example.com",
            EnabledSslProtocols = SslProtocols.Tls12,
            CipherSuitesPolicy = new CipherSuitesPolicy([TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]),
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        }, timeout.Token);

        Assert.Equal("both-rsa", ((X509Certificate2)tls.RemoteCertificate!).GetNameInfo(X509NameType.SimpleName, forIssuer: false));
    }

    /// <summary>Sends the first write (the ClientHello) as its first five bytes, then the rest after a pause.</summary>
    private sealed class FirstWriteSplitter(Stream inner, TimeSpan pause) : Stream
    {
        private bool _split;

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_split || buffer.Length <= 5)
            {
                await inner.WriteAsync(buffer, cancellationToken);
                return;
            }
            _split = true;
            await inner.WriteAsync(buffer[..5], cancellationToken);
            await inner.FlushAsync(cancellationToken);
            await Task.Delay(pause, cancellationToken);
            await inner.WriteAsync(buffer[5..], cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override void Flush() => inner.Flush();
        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
