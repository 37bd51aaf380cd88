using System.Text;
using Elbe.DataPlane.Errors;
using Elbe.DataPlane.Listeners;
using Elbe.Model.Resources;
using Microsoft.AspNetCore.Http;

namespace Elbe.DataPlane.Actions;

public sealed class FixedResponseAction(FixedResponseConfig config) : IListenerAction
{
    private readonly int _status = int.Parse(config.StatusCode, System.Globalization.CultureInfo.InvariantCulture);
    private readonly string? _contentType = config.ContentType is { } type ? type + "; charset=utf-8" : null;
    private readonly byte[] _body = Encoding.UTF8.GetBytes(config.MessageBody ?? "");

    public Task ExecuteAsync(HttpContext context, ListenerSnapshot listener)
    {
        var response = context.Response;
        response.StatusCode = _status;
        response.Headers.Server = LoadBalancerErrorResponse.ServerHeader;
        if (_contentType is not null) response.ContentType = _contentType;
        response.ContentLength = _body.Length;
        return _body.Length == 0 || HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(_body, 0, _body.Length);
    }
}
