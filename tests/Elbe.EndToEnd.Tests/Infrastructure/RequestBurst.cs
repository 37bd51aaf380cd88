namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>Many GETs with bounded concurrency, returning which backend answered each; used to measure traffic shares.</summary>
public static class RequestBurst
{
    public static async Task<IReadOnlyList<string>> BackendsAsync(HttpClient client, Uri url, int count, int concurrency, Action<HttpRequestMessage>? configure = null)
    {
        var answers = new string[count];
        var next = -1;
        // Workers run on the thread pool, not xunit's two-thread context, so the burst is limited by the load balancer, not the runner.
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                configure?.Invoke(request);
                using var response = await client.SendAsync(request);
                answers[i] = response.IsSuccessStatusCode && response.Headers.TryGetValues("X-Backend", out var values)
                    ? values.Single()
                    : $"status-{(int)response.StatusCode}";
            }
        }));
        await Task.WhenAll(workers);
        return answers;
    }

    public static int Count(this IReadOnlyList<string> backends, string name) => backends.Count(b => b == name);

    public static string Summary(this IReadOnlyList<string> backends) =>
        string.Join(", ", backends.GroupBy(b => b).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}"));
}
