using System.Net;
using Elbe.Routing.Rules;
using Microsoft.AspNetCore.Http;

namespace Elbe.Routing.Tests.Rules;

/// <summary>Short-hand for the requests the rule tests route.</summary>
internal static class RequestBuilder
{
    public static RoutingRequest Request(
        string method = "GET",
        string? host = "www.example.com",
        string path = "/",
        string query = "",
        string remote = "192.0.2.10",
        params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
            dictionary.Append(name, value);
        return new RoutingRequest(method, host, path, query, IPAddress.Parse(remote), dictionary);
    }
}
