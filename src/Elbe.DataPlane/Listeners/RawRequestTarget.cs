using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Elbe.DataPlane.Listeners;

/// <summary>
/// The path and query exactly as the client sent them, before Kestrel's percent-decoding: what ALB's rules match
/// and what #{path}/#{query} in a redirect carry. Slices of the request target, not copies.
/// </summary>
public static class RawRequestTarget
{
    public static ReadOnlyMemory<char> Path(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        // Absolute-form ("GET http://host/x") and asterisk-form targets: Kestrel's parsed path is all there is.
        if (string.IsNullOrEmpty(raw) || raw[0] != '/') return (context.Request.Path.Value ?? "/").AsMemory();
        var q = raw.IndexOf('?');
        return q >= 0 ? raw.AsMemory(0, q) : raw.AsMemory();
    }

    /// <summary>Without the leading '?'; empty when there is none.</summary>
    public static ReadOnlyMemory<char> Query(HttpContext context)
    {
        var query = context.Request.QueryString;
        return query.HasValue ? query.Value.AsMemory(1) : ReadOnlyMemory<char>.Empty;
    }
}
