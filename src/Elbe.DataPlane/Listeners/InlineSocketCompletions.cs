namespace Elbe.DataPlane.Listeners;

/// <summary>
/// Runs socket continuations on the runtime's epoll threads (one per CPU) instead of handing each readiness to
/// the thread pool: a target's response is relayed to the client on the thread that saw it arrive. (Client
/// connections are on Elbe's own event loops, see Listeners/Transport; with Kestrel's socket transport instead,
/// its UnsafePreferInlineScheduling does the same for them.) This is how an event-loop proxy works:
/// measured on the keep-alive and 10-rule scenarios, about a quarter less CPU per request (bench/RESULTS.md).
/// The price is that nothing on the listener path may block a thread; it never does (no sync-over-async, no I/O
/// but sockets). The runtime reads the variable once, when sockets are first used, so this must run first thing.
/// </summary>
public static class InlineSocketCompletions
{
    private const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Turns inline completions on unless the user chose a value; false when the user's choice stands.</summary>
    public static bool Enable()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not null) return false;
        Environment.SetEnvironmentVariable(Variable, "1");
        return true;
    }
}
