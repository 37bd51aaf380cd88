using System.Net;
using System.Xml.Linq;

namespace Elbe.Api.Tests.Infrastructure;

/// <summary>
/// One API answer: status, headers, raw body and the body as XML. Lookups go by local name, so tests need not care
/// about the namespace; lists are read through their <c>member</c> children.
/// </summary>
public sealed class ApiResponse(HttpStatusCode status, string body, IReadOnlyDictionary<string, string> headers)
{
    private XDocument? _xml;

    public HttpStatusCode Status { get; } = status;
    public int StatusCode => (int)Status;
    public string Body { get; } = body;
    public IReadOnlyDictionary<string, string> Headers { get; } = headers;

    /// <summary>The body as XML; fails the test with the raw body when it is not XML.</summary>
    public XDocument Xml => _xml ??= Parse(Body);

    public XElement Root => Xml.Root ?? throw new Xunit.Sdk.XunitException("The response XML has no root element.");

    public bool IsError => Root.Name.LocalName == "ErrorResponse";
    public string? ErrorCode => IsError ? Value("Code") : null;
    public string? ErrorMessage => IsError ? Value("Message") : null;
    public string? ErrorType => IsError ? Value("Type") : null;
    public string? RequestId => Value("RequestId");

    /// <summary>The first element with this local name anywhere in the document, or null.</summary>
    public XElement? Element(string localName) => Root.DescendantsAndSelf().FirstOrDefault(e => e.Name.LocalName == localName);

    public IEnumerable<XElement> Elements(string localName) => Root.Descendants().Where(e => e.Name.LocalName == localName);

    /// <summary>The text of the first element with this local name, or null when there is none.</summary>
    public string? Value(string localName) => Element(localName)?.Value;

    public IEnumerable<string> Values(string localName) => Elements(localName).Select(e => e.Value);

    /// <summary>The &lt;member&gt; children of the first list with this name; empty when the list is empty or absent.</summary>
    public IReadOnlyList<XElement> Members(string listName) => Members(Element(listName));

    public static IReadOnlyList<XElement> Members(XElement? list) =>
        list?.Elements().Where(e => e.Name.LocalName == "member").ToList() ?? [];

    /// <summary>The text of the first element with this local name below <paramref name="parent"/>, e.g. a field of a list member; null when either is missing.</summary>
    public static string? Child(XElement? parent, string localName) => ChildElement(parent, localName)?.Value;

    /// <summary>The first element with this local name below <paramref name="parent"/>, e.g. a structure inside a list member.</summary>
    public static XElement? ChildElement(XElement? parent, string localName) =>
        parent?.Descendants().FirstOrDefault(e => e.Name.LocalName == localName);

    /// <summary>Asserts a 200 with the action's response document, and returns this for chaining.</summary>
    public ApiResponse AssertSuccess(string? action = null)
    {
        Assert.True(StatusCode == 200, $"Expected 200 but got {StatusCode}: {Body}");
        if (action is not null) Assert.Equal(action + "Response", Root.Name.LocalName);
        return this;
    }

    /// <summary>Asserts an AWS error document with this code, HTTP status and matching Type (Sender/Receiver).</summary>
    public ApiResponse AssertError(string code, int status = 400)
    {
        Assert.True(IsError, $"Expected error {code} ({status}) but got {StatusCode}: {Body}");
        Assert.True(code == ErrorCode && status == StatusCode, $"Expected error {code} ({status}) but got {ErrorCode} ({StatusCode}): {Body}");
        Assert.Equal(status >= 500 ? "Receiver" : "Sender", ErrorType);
        Assert.False(string.IsNullOrEmpty(RequestId), $"The error has no RequestId: {Body}");
        return this;
    }

    private XDocument Parse(string body)
    {
        try { return XDocument.Parse(body); }
        catch (System.Xml.XmlException error)
        {
            throw new Xunit.Sdk.XunitException($"The response ({StatusCode}) is not XML ({error.Message}): {body}");
        }
    }

    public override string ToString() => $"{StatusCode} {Body}";
}
