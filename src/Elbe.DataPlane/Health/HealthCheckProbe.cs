using System.Net.Http.Headers;
using Elbe.Routing.Health;

namespace Elbe.DataPlane.Health;

/// <summary>
/// Sends one HTTP health check as ALB does (section 0.4): a GET of the path on a fresh connection,
/// User-Agent ELB-HealthChecker/2.0, judged by the matcher within the timeout.
/// </summary>
public sealed class HealthCheckProbe : IDisposable
{
    private static readonly ProductInfoHeaderValue UserAgent = new("ELB-HealthChecker", "2.0");

    // Connections are never reused: every check must prove the target still accepts connections.
    private readonly HttpMessageInvoker _client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.Zero,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ActivityHeadersPropagator = null,
    });

    public async Task<HealthCheckOutcome> CheckAsync(string address, int port, string path, TimeSpan timeout, HttpCodeMatcher matcher, CancellationToken cancellationToken)
    {
        var host = address.Contains(':') ? $"[{address}]:{port}" : $"{address}:{port}";
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{host}{path}");
            request.Headers.UserAgent.Add(UserAgent);
            request.Headers.ConnectionClose = true;
            using var response = await _client.SendAsync(request, timeoutSource.Token);
            var code = (int)response.StatusCode;
            return matcher.Matches(code) ? HealthCheckOutcome.Success : HealthCheckOutcome.CodeMismatch(code);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckOutcome.Timeout;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Refused, reset, unparseable response, or a request that cannot even be formed: all fail the check,
            // and none may end the target's check loop.
            return HealthCheckOutcome.ConnectionFailure;
        }
    }

    public void Dispose() => _client.Dispose();
}
