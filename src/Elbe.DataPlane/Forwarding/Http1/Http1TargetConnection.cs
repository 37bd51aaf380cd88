using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Elbe.Routing.Http1;

namespace Elbe.DataPlane.Forwarding.Http1;

/// <summary>
/// One kept-alive HTTP/1.1 connection to a target: the socket, its input and output buffers, and the per-exchange state a watchdog
/// (<see cref="TargetConnectionPool"/>) checks instead of timers and cancellation registrations per request: the
/// deadline of the current target read or write, and the client and deregistration tokens of the current request.
/// </summary>
public sealed class Http1TargetConnection
{
    // The state is the low two bits of a word whose upper bits count the exchanges (each TryTake adds one), so
    // the watchdog can tear down the exchange it looked at and never one that took the connection since.
    private const long Idle = 0, InUse = 1, Closed = 2, StateBits = 3, OneExchange = 4;

    private readonly Socket _socket;
    private readonly SslStream? _tls;
    private long _state = InUse;
    private int _abort;
    private long _deadline = long.MaxValue;
    private CancellationToken _clientGone;
    private CancellationToken _cutoff;

    private Http1TargetConnection(Socket socket, SslStream? tls, string endpoint)
    {
        _socket = socket;
        _tls = tls;
        Endpoint = endpoint;
        Input = new TargetInput(socket, tls);
        Output = new TargetOutput(socket, tls);
    }

    public string Endpoint { get; }
    public TargetInput Input { get; }
    public TargetOutput Output { get; }
    public Http1ResponseHead Head { get; } = new();
    public RequestHeaderEdits Edits { get; } = new();
    public List<KeyValuePair<string, string>> Trailers { get; } = [];
    /// <summary>Where the request head writer copies the client's headers (<see cref="Http1RequestHead.Write"/>).</summary>
    public KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>[] RequestHeaderScratch = new KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>[16];
    /// <summary>When the connection went back to the pool (Environment.TickCount64).</summary>
    public long IdleSince { get; private set; }
    public TargetConnectionAbort AbortReason => (TargetConnectionAbort)Volatile.Read(ref _abort);
    public bool IsClosed => (Volatile.Read(ref _state) & StateBits) == Closed;

    /// <summary>
    /// Connects within ALB's connect timeout (fact sheet 1.11): past it, <see cref="TargetConnectTimeoutException"/>
    /// (504). With <paramref name="tls"/>, the TLS handshake follows within its own timeout; a failed or stalled
    /// handshake throws anything else (502).
    /// </summary>
    public static async ValueTask<Http1TargetConnection> ConnectAsync(string address, int port, string endpoint, SslClientAuthenticationOptions? tls)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (var timeout = new CancellationTokenSource(TargetConnection.ConnectTimeout))
        {
            try
            {
                if (IPAddress.TryParse(address, out var ip)) await socket.ConnectAsync(new IPEndPoint(ip, port), timeout.Token);
                else await socket.ConnectAsync(new DnsEndPoint(address, port), timeout.Token);
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                throw new TargetConnectTimeoutException();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        if (tls is null) return new Http1TargetConnection(socket, null, endpoint);

        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            using var handshake = new CancellationTokenSource(TargetConnection.TlsHandshakeTimeout);
            await stream.AuthenticateAsClientAsync(tls, handshake.Token);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
        return new Http1TargetConnection(socket, stream, endpoint);
    }

    /// <summary>Takes a pooled connection for a request; false when the watchdog closed it first.</summary>
    public bool TryTake() => TryMove(Idle, InUse, OneExchange);

    /// <summary>Marks the connection idle for the pool; false when the watchdog tore the exchange down first.</summary>
    public bool MakeIdle()
    {
        _clientGone = default;
        _cutoff = default;
        _deadline = long.MaxValue;
        IdleSince = Environment.TickCount64;
        return TryMove(InUse, Idle);
    }

    /// <summary>Closes an idle connection the pool has kept too long; false when a request took it first.</summary>
    public bool TryCloseIdle()
    {
        if (!TryMove(Idle, Closed)) return false;
        Release();
        return true;
    }

    /// <summary>Moves the state from <paramref name="from"/> to <paramref name="to"/>, keeping the exchange count plus <paramref name="exchanges"/>; false when it was not in <paramref name="from"/>.</summary>
    private bool TryMove(long from, long to, long exchanges = 0)
    {
        var state = Volatile.Read(ref _state);
        return (state & StateBits) == from && Interlocked.CompareExchange(ref _state, state - from + to + exchanges, state) == state;
    }

    /// <summary>Whether the target has sent something (or closed) while the connection sat in the pool: then it cannot carry a request.</summary>
    public bool HasPendingInput()
    {
        try
        {
            return _socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception)
        {
            return true;
        }
    }

    public void BeginExchange(CancellationToken clientGone, CancellationToken cutoff)
    {
        _clientGone = clientGone;
        _cutoff = cutoff;
    }

    /// <summary>Arms the idle deadline around one target read or write: the target silent this long gets the client a 504.</summary>
    public void Arm(long idleMilliseconds) => Volatile.Write(ref _deadline, Environment.TickCount64 + idleMilliseconds);

    public void Disarm() => Volatile.Write(ref _deadline, long.MaxValue);

    /// <summary>The watchdog's look at an exchange in progress: tears it down when the client left, the target stalled, or its deregistration ended.</summary>
    public void Watch(long now)
    {
        var state = Volatile.Read(ref _state);
        if ((state & StateBits) != InUse) return;
        // Copies first: the exchange may end and clear the fields meanwhile (MakeIdle), and a token read in place
        // reads its source twice, null the second time: that crashed the process from the watchdog's timer.
        var clientGone = _clientGone;
        var cutoff = _cutoff;
        var reason = clientGone.IsCancellationRequested ? TargetConnectionAbort.ClientGone
            : cutoff.IsCancellationRequested ? TargetConnectionAbort.Cutoff
            : now >= Volatile.Read(ref _deadline) ? TargetConnectionAbort.TargetIdle
            : TargetConnectionAbort.None;
        if (reason == TargetConnectionAbort.None) return;
        // What was read may belong to an exchange that has ended since, its connection now carrying another
        // request: only the exchange looked at is torn down, and only while it still runs.
        if (Interlocked.CompareExchange(ref _state, state - InUse + Closed, state) == state) Abort(reason);
    }

    /// <summary>Closing the socket fails whatever read or write is pending; the reason tells the exchange what to answer.</summary>
    public void Abort(TargetConnectionAbort reason)
    {
        Interlocked.CompareExchange(ref _abort, (int)reason, (int)TargetConnectionAbort.None);
        Close();
    }

    /// <summary>Ends the connection; safe to call more than once and from the watchdog.</summary>
    public void Close()
    {
        var state = Volatile.Read(ref _state);
        while ((state & StateBits) != Closed)
        {
            var seen = Interlocked.CompareExchange(ref _state, state - (state & StateBits) + Closed, state);
            if (seen == state) break;
            state = seen;
        }
        try { _socket.Dispose(); }
        catch (Exception) { /* already gone */ }
    }

    /// <summary>Closes the connection and returns its buffers; only whoever owns the connection (its exchange, or the watchdog for an idle one) calls this.</summary>
    public void Release()
    {
        Close();
        _tls?.Dispose();
        Input.Dispose();
        Output.Dispose();
    }
}
