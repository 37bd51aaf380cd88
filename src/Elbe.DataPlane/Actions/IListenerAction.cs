using Elbe.DataPlane.Listeners;
using Microsoft.AspNetCore.Http;

namespace Elbe.DataPlane.Actions;

/// <summary>A rule's terminal action compiled once per snapshot; runs for each request the rule matches.</summary>
public interface IListenerAction
{
    Task ExecuteAsync(HttpContext context, ListenerSnapshot listener);
}
