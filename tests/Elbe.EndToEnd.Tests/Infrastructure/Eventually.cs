using System.Diagnostics;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>Bounded polling: waits for a condition that the system reaches asynchronously, and fails with a useful message instead of hanging.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static async Task<T> ValueAsync<T>(Func<T?> probe, Func<T?, bool> isDone, Func<T?, string> describeFailure, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        var maxPolls = (int)(limit / PollInterval) + 1;
        T? last = default;
        for (var poll = 0; poll < maxPolls && clock.Elapsed < limit; poll++)
        {
            last = probe();
            if (isDone(last))
                return last!;
            await Task.Delay(PollInterval);
        }
        last = probe();
        if (isDone(last))
            return last!;
        Assert.Fail($"Not reached within {limit.TotalSeconds:0.#} s: {describeFailure(last)}");
        throw new UnreachableException();
    }

    public static Task TrueAsync(Func<bool> condition, string failure, TimeSpan? timeout = null) =>
        ValueAsync<bool>(() => condition(), done => done, _ => failure, timeout);

    /// <summary>The same for a condition that has to wait for the network to tell (a connection, a response); the failure is described once known.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, Func<string> failure, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        for (var poll = 0; poll <= (int)(limit / PollInterval); poll++)
        {
            if (await condition()) return;
            if (clock.Elapsed >= limit) break;
            await Task.Delay(PollInterval);
        }
        Assert.Fail($"Not reached within {limit.TotalSeconds:0.#} s: {failure()}");
    }
}
