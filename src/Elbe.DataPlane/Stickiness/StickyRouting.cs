using System.Security.Cryptography;
using Elbe.DataPlane.Targets;
using Elbe.Routing.Stickiness;
using Elbe.Routing.Targets;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Elbe.DataPlane.Stickiness;

/// <summary>
/// Reads and writes ALB's stickiness cookies on the request path (sections 1.5 and 1.8): AWSALBTG for
/// target-group stickiness on weighted forwards, AWSALB/AWSALBCORS for lb_cookie and AWSALBAPP-n for
/// app_cookie target stickiness. The key is made at start and never leaves the process, so cookies from
/// before a restart simply stop sticking, as ALB's rotating key does.
/// </summary>
public sealed class StickyRouting : IDisposable
{
    private readonly StickinessCookieCipher _cipher = new(RandomNumberGenerator.GetBytes(32));
    private readonly LbCookieCodec _lb;
    private readonly AppCookieCodec _app;
    private readonly TargetGroupCookieCodec _group;

    /// <summary>Longer than any target's "address:port" ("[" + IPv6 + "]:" + port is 47).</summary>
    private const int MaxEndpointLength = 128;

    public StickyRouting()
    {
        _lb = new LbCookieCodec(_cipher);
        _app = new AppCookieCodec(_cipher);
        _group = new TargetGroupCookieCodec(_cipher);
    }

    /// <summary>The target group an AWSALBTG cookie names, if it is valid and still one of <paramref name="groups"/>.</summary>
    public TargetGroupRuntime? StuckGroup(HttpContext context, TargetGroupRuntime[] groups, TimeSpan duration)
    {
        var cookies = context.Request.Cookies;
        var value = cookies[StickinessCookieNames.TargetGroupCors] ?? cookies[StickinessCookieNames.TargetGroup];
        if (value is null || !_group.TryDecode(value, DateTimeOffset.UtcNow, duration, out var arn, out _)) return null;
        foreach (var group in groups)
            if (group.Arn == arn) return group;
        return null;
    }

    public void SetGroupCookies(HttpContext context, TargetGroupRuntime group)
    {
        var now = DateTimeOffset.UtcNow;
        var value = _group.Encode(group.Arn, now);
        var headers = context.Response.Headers;
        headers.Append(HeaderNames.SetCookie, StickinessSetCookie.TargetGroup(value, now));
        headers.Append(HeaderNames.SetCookie, StickinessSetCookie.TargetGroupCors(value, now));
    }

    /// <summary>
    /// The routable target the request's stickiness cookie names; null when there is no valid cookie or its
    /// target is gone, draining, unhealthy or outside <paramref name="routable"/> (with cross-zone off, another
    /// zone's target); then the caller picks anew and the cookie is rewritten.
    /// </summary>
    public TargetState? StuckTarget(HttpContext context, TargetGroupRuntime group, TargetCandidateSet routable, TargetGroupSettings settings, out DateTimeOffset issuedAt)
    {
        issuedAt = default;
        var now = DateTimeOffset.UtcNow;
        if (settings.StickinessType != "app_cookie")
        {
            // When both arrive, AWSALBCORS wins. Decoded without strings: this runs on every sticky request.
            Span<char> endpoint = stackalloc char[MaxEndpointLength];
            if (!CookieHeaderLookup.TryGetFirst(context.Request, StickinessCookieNames.LbCors, StickinessCookieNames.Lb, out var lbValue)
                || !_lb.TryDecodeFor(lbValue, group.Arn, now, settings.StickinessDuration, endpoint, out var length, out var issued)
                || !routable.TryGetRoutable(endpoint[..length], out var stuck))
                return null;
            issuedAt = issued;
            return stuck;
        }

        var value = AppCookieValue(context.Request.Cookies);
        if (value is null || !_app.TryDecode(value, now, settings.StickinessDuration, out var sticky) || sticky.AppCookieName != settings.AppCookieName)
            return null;
        if (sticky.TargetGroupId != group.Arn || !routable.TryGetRoutable(sticky.Endpoint, out var target)) return null;
        issuedAt = sticky.IssuedAt;
        return target;
    }

    /// <summary>
    /// Arms the target stickiness cookie on the response. lb_cookie: always, keeping the first issue time so the
    /// duration counts from the first routing. app_cookie: when the target set its cookie or the session was
    /// already sticky, re-armed with the current time.
    /// </summary>
    public void ArmTargetCookies(HttpContext context, TargetGroupRuntime group, TargetGroupSettings settings, TargetState target, DateTimeOffset? stuckSince)
    {
        var state = new PendingCookie(this, context, group.Arn, settings, target.Endpoint, stuckSince);
        context.Response.OnStarting(static s => ((PendingCookie)s).Write(), state);
    }

    private static string? AppCookieValue(IRequestCookieCollection cookies)
    {
        var first = cookies[StickinessCookieNames.AppShards[0]];
        if (first is null) return null;
        var second = cookies[StickinessCookieNames.AppShards[1]];
        if (second is null) return first;
        return string.Concat(first, second, cookies[StickinessCookieNames.AppShards[2]], cookies[StickinessCookieNames.AppShards[3]]);
    }

    private sealed class PendingCookie(StickyRouting owner, HttpContext context, string groupArn, TargetGroupSettings settings, string endpoint, DateTimeOffset? stuckSince)
    {
        public Task Write()
        {
            var response = context.Response;
            // Errors the load balancer answers itself carry no stickiness (to gRPC clients they are 200s with a grpc-status).
            if (response.Headers.Server == Errors.LoadBalancerErrorResponse.ServerHeader && (response.StatusCode >= 500 || response.Headers.ContainsKey("grpc-status")))
                return Task.CompletedTask;
            var now = DateTimeOffset.UtcNow;
            var headers = response.Headers;
            if (settings.StickinessType == "app_cookie")
            {
                if (stuckSince is null && !TargetSetAppCookie(headers[HeaderNames.SetCookie], settings.AppCookieName)) return Task.CompletedTask;
                var value = owner._app.Encode(settings.AppCookieName, groupArn, endpoint, now);
                var sameSiteNone = ChromiumUserAgent.NeedsSameSiteNone(context.Request.Headers.UserAgent.ToString());
                for (var i = 0; i < AppCookieCodec.ShardCount(value); i++)
                    headers.Append(HeaderNames.SetCookie, StickinessSetCookie.App(i, AppCookieCodec.Shard(value, i), now, sameSiteNone));
                return Task.CompletedTask;
            }
            var lbValue = owner._lb.Encode(groupArn, endpoint, stuckSince ?? now);
            headers.Append(HeaderNames.SetCookie, StickinessSetCookie.Lb(lbValue, now));
            headers.Append(HeaderNames.SetCookie, StickinessSetCookie.LbCors(lbValue, now));
            return Task.CompletedTask;
        }

        private static bool TargetSetAppCookie(Microsoft.Extensions.Primitives.StringValues setCookies, string name)
        {
            foreach (var setCookie in setCookies)
                if (setCookie is not null && setCookie.Length > name.Length && setCookie.StartsWith(name, StringComparison.Ordinal) && setCookie[name.Length] == '=')
                    return true;
            return false;
        }
    }

    public void Dispose() => _cipher.Dispose();
}
