using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Elbe.Routing.Flows;
using Elbe.Routing.Targets;
using Microsoft.Extensions.Logging;
using static Elbe.DataPlane.Network.EventLoop.Libc;

namespace Elbe.DataPlane.Network.EventLoop;

/// <summary>
/// One thread with its own edge-triggered epoll instance, relaying the TCP flows it accepted, the way HAProxy's
/// threads work. There is one loop per CPU for the whole process; every TCP listener's sockets are in every
/// loop's set (EPOLLEXCLUSIVE, so a new connection wakes one loop), and a flow stays on the loop that accepted it,
/// so nothing about a flow is shared between threads. Other threads talk to a loop only by posting commands,
/// woken with an eventfd. The HTTP listeners' client connections live on the same loops (Listeners/Transport).
/// </summary>
/// <remarks>
/// Hand-written on the system calls because System.Net.Sockets' per-operation async dispatch (one epoll thread
/// handing every readiness to the thread pool, a SocketAsyncContext per socket, an async state machine per
/// operation) was the measured ceiling of the relay at about 0.7x HAProxy's TCP mode, whatever the relay did
/// (bench/RESULTS.md, NLB); no maintained .NET library offers an epoll relay.
/// </remarks>
internal sealed class RelayLoop
{
    private const int MaxEvents = 256;
    /// <summary>Accepts per listener wake-up, so one busy listener cannot keep a loop from its flows.</summary>
    private const int AcceptBatch = 64;
    private const int KindShift = 62;
    private const ulong FlowKind = 0, ListenerKind = 1, WakeKind = 2, WatchedKind = 3;
    private const ulong IndexMask = (1UL << KindShift) - 1;

    /// <summary>
    /// How long a loop leaves a listen socket alone after accepting failed for want of descriptors or kernel memory.
    /// Connections waiting in the backlog keep the socket readable, and level-triggered it would wake the loop again
    /// at once, for as long as the shortage lasts: a loop spinning on a full CPU. nginx waits 500 ms; the waiting
    /// connections stay in the backlog and are accepted once the pause is over and <see cref="DescriptorHeadroom"/>
    /// finds room again.
    /// </summary>
    public const int AcceptPauseMs = 100;
    /// <summary>At most one warning about paused accepting per this long, for the whole process.</summary>
    private const long AcceptPauseWarningMs = 10_000;
    private static long _lastAcceptPauseWarning = -AcceptPauseWarningMs;

    private static readonly Lazy<RelayLoop[]> Loops = new(() => [.. Enumerable.Range(0, Environment.ProcessorCount).Select(i => new RelayLoop(i))]);
    /// <summary>Each target's sockaddr, encoded once: the hot path connects by it without parsing.</summary>
    private static readonly ConditionalWeakTable<TargetState, byte[]> TargetAddresses = new();

    private readonly int _epoll;
    private readonly int _wake;
    private readonly byte[] _events = new byte[MaxEvents * EpollEventSize];
    private readonly ConcurrentQueue<(Action<RelayLoop> Command, ILogger Logger)> _commands = new();
    private readonly List<(TcpListenerRelay Relay, NodeListener Listener)?> _listeners = [];
    private readonly Stack<int> _freeSlots = new();
    private readonly List<int> _releasedSlots = [];
    private readonly List<IReadiness?> _watched = [];
    private readonly Stack<int> _freeWatched = new();
    private readonly List<int> _releasedWatched = [];
    private readonly List<UdpListenerRelay> _udpRelays = [];
    private readonly List<PausedListenSocket> _pausedListenSockets = [];
    private DatagramBatch? _datagrams;
    private RelayFlow?[] _flows = new RelayFlow?[64];
    private int _flowCount;
    private long _lastSweep;
    // The client connections (HTTP) and flows (NLB) this loop holds, counted from the moment one is given to it; other loops read it.
    private int _connections;

    private RelayLoop(int index)
    {
        _epoll = EpollCreate1(EPOLL_CLOEXEC);
        _wake = EventFd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (_epoll < 0 || _wake < 0 || !EpollAdd(_epoll, _wake, EPOLLIN, WakeKind << KindShift))
            throw new IOException($"the TCP relay's event loop could not start: errno {Errno}");
        for (var slot = _flows.Length - 1; slot >= 0; slot--) _freeSlots.Push(slot);
        Now = _lastSweep = Environment.TickCount64;
        new Thread(Run) { IsBackground = true, Name = $"elbe tcp relay {index}" }.Start();
    }

    public static IReadOnlyList<RelayLoop> All => Loops.Value;

    /// <summary>The loop's clock (Environment.TickCount64), read once per wake-up.</summary>
    public long Now { get; private set; }

    /// <summary>Where every flow of this loop reads into before it sends: one buffer for all of them.</summary>
    public byte[] Scratch { get; } = new byte[64 * 1024];

    /// <summary>The UDP relays' datagram vector, made when a loop first relays UDP (it holds a megabyte).</summary>
    public DatagramBatch Datagrams => _datagrams ??= new DatagramBatch();

    /// <summary>The HTTP client connections and TCP flows this loop holds (<see cref="HoldNewConnection"/>, <see cref="Release"/>).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>A client connection given with <see cref="HoldNewConnection"/> closed; on any thread.</summary>
    public void Release() => Interlocked.Decrement(ref _connections);

    /// <summary>
    /// Where a connection this loop just accepted should live, counted there at once (so that the rest of an accept
    /// batch is balanced with it) until <see cref="Release"/>: here, unless another loop holds clearly fewer.
    /// Every loop watches the listen sockets, and whichever is awake first accepts: a client that opens its whole
    /// pool at once (64 connections from wrk) could land on one loop and leave the other idle, which then carried
    /// the load on one CPU at about 0.88x the rate of an even split. The slack (one, or an eighth) keeps steady
    /// churn from handing connections across at every accept; a hand-over costs the other loop a wake-up.
    /// </summary>
    public RelayLoop HoldNewConnection()
    {
        var loops = Loops.Value;
        var mine = Connections;
        var home = this;
        var fewest = mine;
        foreach (var loop in loops)
        {
            var held = loop.Connections;
            if (held < fewest)
            {
                fewest = held;
                home = loop;
            }
        }
        if (mine - fewest <= Math.Max(1, fewest / 8)) home = this;
        Interlocked.Increment(ref home._connections);
        return home;
    }

    /// <summary>Runs <paramref name="command"/> on the loop's thread, soon; <paramref name="logger"/> hears if it throws.</summary>
    public void Post(Action<RelayLoop> command, ILogger logger)
    {
        _commands.Enqueue((command, logger));
        Span<byte> one = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(one, 1);
        Write(_wake, ref one[0], 8);
    }

    /// <summary>
    /// Runs <paramref name="command"/> at the loop's next wake-up without causing one: for tidying that may wait
    /// (freeing a closed connection's slot), where a wake-up per connection would cost an eventfd write and a pass.
    /// </summary>
    public void PostQuietly(Action<RelayLoop> command, ILogger logger) => _commands.Enqueue((command, logger));

    /// <summary>Starts accepting on the relay's sockets.</summary>
    public void Add(TcpListenerRelay relay)
    {
        foreach (var listener in relay.Listeners)
        {
            var index = _listeners.IndexOf(null);
            if (index < 0)
            {
                index = _listeners.Count;
                _listeners.Add(null);
            }
            _listeners[index] = (relay, listener);
            // Level-triggered: a loop takes a batch of connections per wake-up and is woken again for the rest.
            if (!EpollAdd(_epoll, listener.Fd, EPOLLIN | EPOLLEXCLUSIVE, ListenerKind << KindShift | (uint)index))
                relay.Logger.LogError("{Listener}: the TCP relay could not watch {Node}: errno {Errno}", relay.Snapshot.Description, listener.Node, Errno);
        }
    }

    /// <summary>Stops accepting on the relay's sockets and resets every flow it still has here.</summary>
    public void Remove(TcpListenerRelay relay)
    {
        for (var i = 0; i < _listeners.Count; i++)
        {
            if (_listeners[i] is not { } entry || entry.Relay != relay) continue;
            EpollDelete(_epoll, entry.Listener.Fd);
            _listeners[i] = null;
        }
        foreach (var flow in _flows)
            if (flow is not null && flow.Relay == relay) flow.Terminate();
        FreeReleasedSlots();
    }

    /// <summary>Starts relaying the UDP listener's datagrams on this loop.</summary>
    public void Add(UdpListenerRelay relay)
    {
        _udpRelays.Add(relay);
        relay.Attach(this);
    }

    /// <summary>Stops relaying the UDP listener here and ends its flows.</summary>
    public void Remove(UdpListenerRelay relay)
    {
        if (_udpRelays.Remove(relay)) relay.Detach();
        FreeReleasedSlots();
    }

    /// <summary>Reports <paramref name="fd"/>'s readiness (level-triggered) to <paramref name="watched"/>; the slot to <see cref="Unwatch"/> it by, or -1.</summary>
    public int Watch(int fd, uint events, IReadiness watched)
    {
        if (!_freeWatched.TryPop(out var slot))
        {
            slot = _watched.Count;
            _watched.Add(null);
        }
        _watched[slot] = watched;
        if (EpollAdd(_epoll, fd, events, WatchedKind << KindShift | (uint)slot)) return slot;
        _watched[slot] = null;
        _freeWatched.Push(slot);
        return -1;
    }

    /// <summary>Stops watching a descriptor that stays open (a listen socket other loops may still watch).</summary>
    public void Unwatch(int fd, int slot)
    {
        if (slot < 0) return;
        EpollDelete(_epoll, fd);
        Unwatch(slot);
    }

    /// <summary>No more reports for the slot; the caller closes the descriptor.</summary>
    public void Unwatch(int slot)
    {
        if (slot < 0) return;
        _watched[slot] = null;
        _releasedWatched.Add(slot);
    }

    /// <summary>True when accept4 failed because the process or the system is short of descriptors or memory.</summary>
    public static bool IsResourceShortage(int errno) => errno is EMFILE or ENFILE or ENOBUFS or ENOMEM;

    /// <summary>On the loop, after accepting on a watched listen socket failed with a resource shortage: see <see cref="AcceptPauseMs"/>.</summary>
    public void PauseAccepting(int fd, int slot, uint events, string reason, ILogger logger, object listener)
    {
        if (slot >= 0 && _watched[slot] is { } owner) Pause(fd, events, WatchedKind << KindShift | (uint)slot, owner, reason, logger, listener);
    }

    /// <summary>Why accept4 failed, for the log.</summary>
    public static string AcceptFailure(int errno) => $"{System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";

    private void Pause(int fd, uint events, ulong data, object owner, string reason, ILogger logger, object listener)
    {
        EpollDelete(_epoll, fd);
        _pausedListenSockets.Add(new(fd, events, data, owner, Now + AcceptPauseMs));
        var last = Volatile.Read(ref _lastAcceptPauseWarning);
        if (Now - last >= AcceptPauseWarningMs && Interlocked.CompareExchange(ref _lastAcceptPauseWarning, Now, last) == last)
            logger.LogWarning("{Listener}: accepting paused for {Pause} ms: {Reason}; new connections wait in the listen backlog",
                listener, AcceptPauseMs, reason);
    }

    /// <summary>Watches again the paused listen sockets whose pause is over and that are still this loop's to watch.</summary>
    private void ResumeAccepting()
    {
        for (var i = _pausedListenSockets.Count - 1; i >= 0; i--)
        {
            var paused = _pausedListenSockets[i];
            if (Now < paused.ResumeAt) continue;
            // Accepting again while the table is short would take the runtime's last descriptors.
            if (DescriptorHeadroom.IsShort && !DescriptorHeadroom.TryRecover())
            {
                _pausedListenSockets[i] = paused with { ResumeAt = Now + AcceptPauseMs };
                continue;
            }
            _pausedListenSockets.RemoveAt(i);
            var index = (int)(paused.Data & IndexMask);
            // Removed or unwatched while paused (its slot may serve another socket by now): stays unwatched.
            var current = paused.Data >> KindShift == ListenerKind
                ? index < _listeners.Count && _listeners[index] is { } entry && ReferenceEquals(entry.Listener, paused.Owner)
                : index < _watched.Count && ReferenceEquals(_watched[index], paused.Owner);
            if (current) EpollAdd(_epoll, paused.Fd, paused.Events, paused.Data);
        }
    }

    /// <summary>The epoll wait: until the next sweep, or sooner when a paused listen socket is due back.</summary>
    private int WaitMs()
    {
        var wait = SweepPeriodMs();
        foreach (var paused in _pausedListenSockets)
        {
            var due = (int)Math.Max(0, paused.ResumeAt - Now);
            if (wait < 0 || due < wait) wait = due;
        }
        return wait;
    }

    /// <summary>A listen socket a loop stopped watching until <see cref="ResumeAt"/>; <see cref="Owner"/> tells it is still the one watched there.</summary>
    private readonly record struct PausedListenSocket(int Fd, uint Events, ulong Data, object Owner, long ResumeAt);

    /// <summary>A flow that ended; its slot is reused only after the current batch of events, which may still name it.</summary>
    public void Remove(RelayFlow flow) => _releasedSlots.Add(flow.Slot);

    private void Run()
    {
        while (true)
        {
            var count = EpollWait(_epoll, ref _events[0], MaxEvents, WaitMs());
            Now = Environment.TickCount64;
            for (var i = 0; i < count; i++)
            {
                var entry = _events.AsSpan(i * EpollEventSize, EpollEventSize);
                var events = BinaryPrimitives.ReadUInt32LittleEndian(entry);
                var data = BinaryPrimitives.ReadUInt64LittleEndian(entry[EpollDataOffset..]);
                Dispatch(events, data);
            }
            FreeReleasedSlots();
            if (_pausedListenSockets.Count > 0) ResumeAccepting();
            if (!_commands.IsEmpty) RunCommands();
            if (Now - _lastSweep >= SweepPeriodMs()) Sweep();
        }
    }

    private void Dispatch(uint events, ulong data)
    {
        var index = (int)(data & IndexMask);
        switch (data >> KindShift)
        {
            case FlowKind:
                // A flow's two sockets share its slot; the low bit says which one this is.
                if (_flows[index >> 1] is not { IsDone: false } flow) return;
                try
                {
                    flow.OnEvent(fromTarget: (data & 1) != 0, events);
                }
                catch (Exception e)
                {
                    // A bug must not stop the loop: it would stop every flow it holds.
                    flow.Relay.Logger.LogError(e, "{Listener}: TCP flow failed", flow.Relay.Snapshot.Description);
                    flow.Terminate();
                }
                break;
            case ListenerKind:
                if (_listeners[index] is { } listener) Accept(listener.Relay, listener.Listener, index);
                break;
            case WatchedKind:
                _watched[index]?.OnReady(events);
                break;
            case WakeKind:
                Span<byte> counter = stackalloc byte[8];
                Read(_wake, ref counter[0], 8);
                break;
        }
    }

    private void Accept(TcpListenerRelay relay, NodeListener listener, int index)
    {
        if (DescriptorHeadroom.IsShort)
        {
            PauseListener(relay, listener, index, DescriptorHeadroom.Reason);
            return;
        }
        Span<byte> client = stackalloc byte[NativeAddress.MaxLength];
        for (var i = 0; i < AcceptBatch; i++)
        {
            var length = NativeAddress.MaxLength;
            var fd = Accept4(listener.Fd, ref client[0], ref length, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0)
            {
                // Another loop took it (EAGAIN), or a connection aborted before it was accepted.
                var errno = Errno;
                if (errno is EINTR or ECONNABORTED) continue;
                if (IsResourceShortage(errno))
                {
                    DescriptorHeadroom.MarkShort();
                    PauseListener(relay, listener, index, AcceptFailure(errno));
                }
                return;
            }
            var fits = DescriptorHeadroom.Fits(fd);
            var home = HoldNewConnection();
            if (home == this) StartHeld(relay, listener, fd, client[..length]);
            else
            {
                var address = client[..length].ToArray();
                home.Post(l => l.StartHandedOver(relay, listener, fd, address), relay.Logger);
            }
            if (!fits)
            {
                // Relayed, but the last one for now: what is left of the table is the runtime's.
                PauseListener(relay, listener, index, DescriptorHeadroom.Reason);
                return;
            }
        }
    }

    private void PauseListener(TcpListenerRelay relay, NodeListener listener, int index, string reason) =>
        Pause(listener.Fd, EPOLLIN | EPOLLEXCLUSIVE, ListenerKind << KindShift | (uint)index, listener, reason, relay.Logger, relay.Snapshot.Description);

    /// <summary>A flow another loop accepted for this one; the relay may have left this loop in the meantime.</summary>
    private void StartHandedOver(TcpListenerRelay relay, NodeListener listener, int client, byte[] clientAddress)
    {
        foreach (var entry in _listeners)
        {
            if (entry is { } serving && serving.Relay == relay)
            {
                StartHeld(relay, listener, client, clientAddress);
                return;
            }
        }
        Release();
        Refuse(relay, client);
    }

    /// <summary>Starts a flow counted with <see cref="HoldNewConnection"/>; the count goes with it, or now if it does not start.</summary>
    private void StartHeld(TcpListenerRelay relay, NodeListener listener, int client, ReadOnlySpan<byte> clientAddress)
    {
        var tracked = false;
        try
        {
            tracked = Start(relay, listener, client, clientAddress);
        }
        catch (Exception e)
        {
            relay.Logger.LogError(e, "{Listener}: a new TCP flow failed", relay.Snapshot.Description);
            CloseWithReset(client);
        }
        finally
        {
            if (!tracked) Release();
        }
    }

    /// <summary>True when the flow is tracked here (its slot is released, and its count with it, when it ends).</summary>
    private bool Start(TcpListenerRelay relay, NodeListener listener, int client, ReadOnlySpan<byte> clientAddress)
    {
        var snapshot = relay.Snapshot;
        var node = listener.Node;
        if (listener.IsWildcard) node = LocalEndPoint(client) ?? node;
        var picked = snapshot.Pick(FlowHash.Tcp, NativeAddress.AddressBytes(clientAddress), NativeAddress.Port(clientAddress), node, (ulong)Random.Shared.NextInt64());
        var targetAddress = picked is null ? [] : AddressOf(picked);
        if (picked is null || targetAddress.Length == 0)
        {
            Refuse(relay, client);
            return false;
        }
        var targetFamily = NativeAddress.Family(targetAddress);
        var target = Socket(targetFamily, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (target < 0)
        {
            Refuse(relay, client);
            return false;
        }
        SetInt(target, IPPROTO_TCP, TCP_NODELAY, 1);
        var preserve = snapshot.GroupSettings.PreserveClientIp && NativeAddress.Family(clientAddress) == targetFamily;
        var error = preserve ? ClientIpPreservation.BindToClient(target, clientAddress, clientAddress.Length) : BindToNode(target, node, targetFamily);
        if (error == 0 && Connect(target, ref targetAddress[0], targetAddress.Length) != 0 && Errno != EINPROGRESS) error = Errno;
        if (error != 0)
        {
            if (preserve && error is EACCES or EPERM or EADDRNOTAVAIL) relay.PreservationFailed(picked, clientAddress, error);
            Close(target);
            Refuse(relay, client);
            return false;
        }
        var flow = new RelayFlow(this, relay, client, target, picked, node.Address);
        if (snapshot.GroupSettings.ProxyProtocolV2) flow.SendFirst(relay.ProxyHeader(NativeAddress.ToEndPoint(clientAddress), node, Scratch));
        var slot = Track(flow);
        // Readiness to write on the target is how a non-blocking connect reports that it is done.
        const uint Watched = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
        if (!EpollAdd(_epoll, client, Watched, FlowKind << KindShift | (ulong)(uint)slot << 1)
            || !EpollAdd(_epoll, target, Watched, FlowKind << KindShift | (ulong)(uint)slot << 1 | 1))
            flow.Terminate();
        return true;
    }

    /// <summary>The target's sockaddr; empty when its address does not parse.</summary>
    public static byte[] AddressOf(TargetState target) => TargetAddresses.GetValue(target, static t => NativeAddress.Of(t.Address, t.Port));

    /// <summary>No target, or it could not be reached: the client is reset.</summary>
    private static void Refuse(TcpListenerRelay relay, int client)
    {
        relay.Counters.TargetConnectFailed();
        relay.Counters.ResetSent();
        CloseWithReset(client);
    }

    /// <summary>
    /// Without client IP preservation the target sees the node's address, as it sees the NLB's private IP. The port
    /// is left to connect (IP_BIND_ADDRESS_NO_PORT), which can then share ports between targets; a UDP socket gets one now.
    /// </summary>
    public static int BindToNode(int target, System.Net.IPEndPoint node, int family, bool stream = true)
    {
        Span<byte> address = stackalloc byte[NativeAddress.MaxLength];
        var length = NativeAddress.Write(node.Address, 0, address);
        if (NativeAddress.Family(address) != family) return 0;
        if (stream) SetInt(target, SOL_IP, IP_BIND_ADDRESS_NO_PORT, 1);
        return Bind(target, ref address[0], length) == 0 ? 0 : Errno;
    }

    public static System.Net.IPEndPoint? LocalEndPoint(int fd)
    {
        Span<byte> address = stackalloc byte[NativeAddress.MaxLength];
        var length = NativeAddress.MaxLength;
        return GetSockName(fd, ref address[0], ref length) == 0 ? NativeAddress.ToEndPoint(address) : null;
    }

    private int Track(RelayFlow flow)
    {
        if (_freeSlots.Count == 0)
        {
            var grown = new RelayFlow?[_flows.Length * 2];
            _flows.CopyTo(grown, 0);
            for (var slot = grown.Length - 1; slot >= _flows.Length; slot--) _freeSlots.Push(slot);
            _flows = grown;
        }
        var index = _freeSlots.Pop();
        _flows[index] = flow;
        flow.Slot = index;
        _flowCount++;
        return index;
    }

    private void FreeReleasedSlots()
    {
        foreach (var slot in _releasedSlots)
        {
            _flows[slot] = null;
            _freeSlots.Push(slot);
            _flowCount--;
            Release();
        }
        _releasedSlots.Clear();
        foreach (var slot in _releasedWatched) _freeWatched.Push(slot);
        _releasedWatched.Clear();
    }

    private void RunCommands()
    {
        while (_commands.TryDequeue(out var entry))
        {
            try
            {
                entry.Command(this);
            }
            catch (Exception e)
            {
                // Commands are the loop's own code; one that throws must not end the loop.
                entry.Logger.LogError(e, "A command of the relay's event loop failed");
            }
        }
    }

    private void Sweep()
    {
        _lastSweep = Now;
        foreach (var relay in _udpRelays)
        {
            try
            {
                relay.Sweep();
            }
            catch (Exception e)
            {
                // One missed sweep is only late; a loop that ends stops every flow it holds.
                relay.Logger.LogError(e, "UDP flow sweep failed");
            }
        }
        if (_flowCount == 0) return;
        foreach (var flow in _flows)
        {
            if (flow is null || flow.IsDone) continue;
            try
            {
                flow.Sweep(Now);
            }
            catch (Exception e)
            {
                flow.Relay.Logger.LogError(e, "{Listener}: TCP flow check failed", flow.Relay.Snapshot.Description);
                flow.Terminate();
            }
        }
        FreeReleasedSlots();
    }

    /// <summary>A tenth of the shortest idle timeout of the listeners here, 50 ms to 1 s; forever with none.</summary>
    private int SweepPeriodMs()
    {
        var period = -1;
        foreach (var entry in _listeners)
        {
            if (entry is not { } listener) continue;
            var ms = (int)Math.Clamp(listener.Relay.Snapshot.TcpIdleTimeout.TotalMilliseconds / 10, 50, 1000);
            if (period < 0 || ms < period) period = ms;
        }
        foreach (var relay in _udpRelays)
        {
            var ms = (int)Math.Clamp(relay.Snapshot.UdpIdleTimeout.TotalMilliseconds / 10, 50, 1000);
            if (period < 0 || ms < period) period = ms;
        }
        return period < 0 && _flowCount > 0 ? 1000 : period;
    }
}
