using System.Collections;
using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Elbe.DataPlane.Listeners.Detaching;

/// <summary>
/// An HTTP/1.1 client connection as Kestrel's HTTP layer sees it: the one object Elbe keeps per connection, which
/// lets Kestrel's per-connection HTTP state (4.7 KiB of live heap, measured: its HTTP connection, the reused
/// HttpContext with its features and header dictionaries, the output producer, timeout control) go while the client
/// is idle between requests; what stays is Kestrel's socket transport and these few objects (~5 KiB in all).
/// </summary>
/// <remarks>
/// Kestrel builds a new HTTP connection each time the connection middleware's next delegate is called, and ends it
/// when its input ends between requests. So after <see cref="DetachAfterMs"/> idle, the input tells Kestrel it
/// ended (<see cref="DetachableReader"/>), the output ignores Kestrel completing it, and this waits for the next
/// bytes on the transport (no buffer held) and hands itself to Kestrel again. While detached it does what Kestrel
/// would: closes at the listener's idle timeout and at once when the server stops. Kestrel registers a heartbeat
/// callback per HTTP connection that is never removed, and sets features on the connection; both land here, per
/// attachment, instead of on the transport's connection, so nothing outlives an attachment but this object.
/// </remarks>
public sealed class DetachableConnection : ConnectionContext, IDuplexPipe, IFeatureCollection, IConnectionHeartbeatFeature
{
    /// <summary>
    /// Idle this long between requests, a connection lets Kestrel's HTTP state go (nginx frees its request state at
    /// once). Clients that pause longer than this between requests pay for a new HTTP state per request (Kestrel
    /// allocating its HTTP connection and context again); clients that keep a connection busy never do.
    /// </summary>
    public const long DetachAfterMs = 250;

    private readonly ConnectionContext _transport;
    private readonly IFeatureCollection _transportFeatures;
    private readonly ListenerRuntime _runtime;
    private readonly IdleConnectionSweep _sweep;
    private readonly KestrelRejectionReasons _rejections;
    private readonly ConnectionActivity _activity = new();
    private readonly DetachableReader _input;
    private readonly RejectionRewritingWriter _output;

    private volatile bool _attached;
    private bool _swept;
    private volatile bool _closeRequested;
    private volatile object? _heartbeatState;
    private Action<object>? _heartbeat;
    // Features Kestrel sets during one attachment; dropped with it.
    private List<KeyValuePair<Type, object>>? _attachmentFeatures;
    private int _revision;

    public DetachableConnection(ConnectionContext transport, ListenerRuntime runtime, IdleConnectionSweep sweep, KestrelRejectionReasons rejections)
    {
        _transport = transport;
        _transportFeatures = transport.Features;
        _runtime = runtime;
        _sweep = sweep;
        _rejections = rejections;
        _input = new DetachableReader(transport.Transport.Input, _activity, this);
        _output = new RejectionRewritingWriter(transport.Transport.Output, _activity, rejections, transport.ConnectionId);
    }

    /// <summary>Serves the connection until it ends: Kestrel attached while requests come, detached while idle.</summary>
    public async Task ServeAsync(ConnectionDelegate kestrel)
    {
        using var closing = _transportFeatures.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested
            .UnsafeRegister(static state => ((DetachableConnection)state!).OnCloseRequested(), this);
        _transportFeatures.Get<IConnectionHeartbeatFeature>()?.OnHeartbeat(static state => ((DetachableConnection)state).OnHeartbeat(), this);
        try
        {
            // One turn per attachment; each after the first needs a request's bytes, and the loop ends with the connection.
            while (true)
            {
                _attached = true;
                await kestrel(this);
                _attached = false;
                _heartbeatState = null;
                _attachmentFeatures = null;
                _input.ForgetKestrel();
                if (!_input.IsDetached) return;
                _sweep.OnDetached();
                var outcome = WaitOutcome.Woken;
                try
                {
                    // Each turn past the first follows a wake (sweep or server stop) with nothing to read.
                    while (outcome == WaitOutcome.Woken && !ShouldClose())
                        outcome = _input.Examine(await _input.ReadWhileDetachedAsync());
                }
                finally
                {
                    _sweep.OnWaitEnded();
                }
                if (outcome != WaitOutcome.Bytes) return;
            }
        }
        finally
        {
            if (_swept) _sweep.Remove(this);
            _rejections.Take(ConnectionId);
        }
    }

    /// <summary>
    /// Kestrel's first read that has to wait for bytes: only from then on can the connection be idle, so only then
    /// does the sweep need to visit it. A connection that says its request and closes (a new connection per
    /// request) never joins it.
    /// </summary>
    internal void OnFirstWait()
    {
        _swept = true;
        _sweep.Add(this);
    }

    private bool ShouldClose() =>
        _closeRequested || Environment.TickCount64 - _input.WaitingSince >= (long)_runtime.Current.Settings.IdleTimeout.TotalMilliseconds;

    private void OnCloseRequested()
    {
        _closeRequested = true;
        if (!_attached) _input.Wake();
    }

    /// <summary>Kestrel's heartbeat, once a second: its timeouts for the attached HTTP connection.</summary>
    private void OnHeartbeat()
    {
        if (_attached && _heartbeatState is { } state && _heartbeat is { } heartbeat) heartbeat(state);
    }

    /// <summary>The listener's sweep: detaches when idle long enough, closes when detached past the idle timeout.</summary>
    public void Sweep(long now)
    {
        if (!_attached)
        {
            if (ShouldClose()) _input.Wake();
        }
        else if (_activity.BetweenRequests && now - _input.WaitingSince >= DetachAfterMs)
        {
            _input.TryDetach();
        }
    }

    void IConnectionHeartbeatFeature.OnHeartbeat(Action<object> action, object state)
    {
        _heartbeat = action;
        _heartbeatState = state;
    }

    public override string ConnectionId { get => _transport.ConnectionId; set => _transport.ConnectionId = value; }
    public override IFeatureCollection Features => this;
    public override IDictionary<object, object?> Items { get => _transport.Items; set => _transport.Items = value; }
    public override IDuplexPipe Transport { get => this; set => throw new NotSupportedException("The detachable connection's transport is fixed."); }
    public override CancellationToken ConnectionClosed { get => _transport.ConnectionClosed; set => _transport.ConnectionClosed = value; }
    public override EndPoint? LocalEndPoint { get => _transport.LocalEndPoint; set => _transport.LocalEndPoint = value; }
    public override EndPoint? RemoteEndPoint { get => _transport.RemoteEndPoint; set => _transport.RemoteEndPoint = value; }
    public override void Abort(ConnectionAbortedException abortReason) => _transport.Abort(abortReason);

    PipeReader IDuplexPipe.Input => _input;
    PipeWriter IDuplexPipe.Output => _output;

    bool IFeatureCollection.IsReadOnly => false;
    int IFeatureCollection.Revision => _transportFeatures.Revision + _revision;

    object? IFeatureCollection.this[Type key]
    {
        get
        {
            if (key == typeof(ConnectionActivity)) return _activity;
            if (key == typeof(IConnectionHeartbeatFeature)) return this;
            if (_attachmentFeatures is { } set)
                foreach (var (type, feature) in set)
                    if (type == key) return feature;
            return _transportFeatures[key];
        }
        set
        {
            var set = _attachmentFeatures ??= [];
            set.RemoveAll(entry => entry.Key == key);
            if (value is not null) set.Add(new(key, value));
            _revision++;
        }
    }

    TFeature? IFeatureCollection.Get<TFeature>() where TFeature : default => (TFeature?)((IFeatureCollection)this)[typeof(TFeature)];

    void IFeatureCollection.Set<TFeature>(TFeature? instance) where TFeature : default => ((IFeatureCollection)this)[typeof(TFeature)] = instance;

    IEnumerator<KeyValuePair<Type, object>> IEnumerable<KeyValuePair<Type, object>>.GetEnumerator()
    {
        yield return new(typeof(ConnectionActivity), _activity);
        yield return new(typeof(IConnectionHeartbeatFeature), this);
        var set = _attachmentFeatures;
        if (set is not null)
            foreach (var entry in set) yield return entry;
        foreach (var entry in _transportFeatures)
            if (entry.Key != typeof(IConnectionHeartbeatFeature) && set?.Exists(e => e.Key == entry.Key) != true)
                yield return entry;
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<KeyValuePair<Type, object>>)this).GetEnumerator();
}
