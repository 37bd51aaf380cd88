using System.Text;
using Elbe.DataPlane.Errors;
using Elbe.DataPlane.Listeners;
using Elbe.Model.Resources;
using Microsoft.AspNetCore.Http;

namespace Elbe.DataPlane.Actions;

/// <summary>
/// A redirect (section 1.5): each part of the Location is a template over #{protocol}, #{host}, #{port},
/// #{path} (without its leading slash) and #{query}; the parts are parsed into segments once.
/// </summary>
public sealed class RedirectAction : IListenerAction
{
    private readonly Segment[] _protocol, _host, _port, _path, _query;
    private readonly int _status;

    public RedirectAction(RedirectConfig config)
    {
        _protocol = Parse(config.Protocol);
        _host = Parse(config.Host);
        _port = Parse(config.Port);
        _path = Parse(config.Path);
        _query = Parse(config.Query);
        _status = config.StatusCode == "HTTP_302" ? 302 : 301;
    }

    public Task ExecuteAsync(HttpContext context, ListenerSnapshot listener)
    {
        var request = context.Request;
        var values = new Placeholders(
            listener.Scheme,
            HostWithoutPort(request.Headers.Host.ToString(), listener.Settings.DnsName),
            listener.PortText,
            RawRequestTarget.Path(context).Span.TrimStart('/').ToString(),
            RawRequestTarget.Query(context).ToString());

        var location = new StringBuilder(128);
        Append(location, _protocol, values, lowerCase: true);
        location.Append("://");
        Append(location, _host, values);
        location.Append(':');
        Append(location, _port, values);
        var pathStart = location.Length;
        Append(location, _path, values);
        if (location.Length == pathStart || location[pathStart] != '/') location.Insert(pathStart, '/');
        var queryStart = location.Length;
        Append(location, _query, values);
        if (location.Length > queryStart) location.Insert(queryStart, '?');

        var response = context.Response;
        response.StatusCode = _status;
        response.Headers.Server = LoadBalancerErrorResponse.ServerHeader;
        response.Headers.Location = location.ToString();
        response.ContentLength = 0;
        return Task.CompletedTask;
    }

    private static string HostWithoutPort(string host, string fallback)
    {
        if (host.Length == 0) return fallback;
        var colon = host.LastIndexOf(':');
        return colon >= 0 && host.IndexOf(']', colon) < 0 ? host[..colon] : host;
    }

    private static void Append(StringBuilder target, Segment[] segments, in Placeholders values, bool lowerCase = false)
    {
        foreach (var segment in segments)
        {
            var text = segment.Kind switch
            {
                SegmentKind.Protocol => values.Protocol,
                SegmentKind.Host => values.Host,
                SegmentKind.Port => values.Port,
                SegmentKind.Path => values.Path,
                SegmentKind.Query => values.Query,
                _ => segment.Literal!,
            };
            target.Append(lowerCase ? text.ToLowerInvariant() : text);
        }
    }

    private static Segment[] Parse(string template)
    {
        var segments = new List<Segment>();
        var i = 0;
        while (i < template.Length)
        {
            var next = template.IndexOf("#{", i, StringComparison.Ordinal);
            var end = next < 0 ? -1 : template.IndexOf('}', next);
            if (next < 0 || end < 0)
            {
                segments.Add(new Segment(SegmentKind.Literal, template[i..]));
                break;
            }
            if (next > i) segments.Add(new Segment(SegmentKind.Literal, template[i..next]));
            var name = template[(next + 2)..end];
            segments.Add(name switch
            {
                "protocol" => new Segment(SegmentKind.Protocol, null),
                "host" => new Segment(SegmentKind.Host, null),
                "port" => new Segment(SegmentKind.Port, null),
                "path" => new Segment(SegmentKind.Path, null),
                "query" => new Segment(SegmentKind.Query, null),
                _ => new Segment(SegmentKind.Literal, template[next..(end + 1)]),
            });
            i = end + 1;
        }
        return [.. segments];
    }

    private enum SegmentKind { Literal, Protocol, Host, Port, Path, Query }

    private readonly record struct Segment(SegmentKind Kind, string? Literal);

    private readonly record struct Placeholders(string Protocol, string Host, string Port, string Path, string Query);
}
