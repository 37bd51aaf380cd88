using System.Globalization;
using System.Text;
using System.Xml;

namespace Elbe.ControlPlane.Api;

/// <summary>
/// Writes query-protocol XML: <c>&lt;{Action}Response xmlns=NS&gt;&lt;{Action}Result&gt;…&lt;/{Action}Result&gt;
/// &lt;ResponseMetadata&gt;&lt;RequestId/&gt;&lt;/ResponseMetadata&gt;&lt;/…&gt;</c>. Lists are wrapped in
/// <c>&lt;member&gt;</c>; null values are left out, as AWS leaves out unset members.
/// </summary>
public sealed class AwsXmlWriter
{
    private readonly XmlWriter _xml;

    public AwsXmlWriter(XmlWriter xml) => _xml = xml;

    public AwsXmlWriter Value(string name, string? value)
    {
        if (value is not null) _xml.WriteElementString(name, value);
        return this;
    }

    public AwsXmlWriter Value(string name, int? value) => Value(name, value?.ToString(CultureInfo.InvariantCulture));

    public AwsXmlWriter Value(string name, long? value) => Value(name, value?.ToString(CultureInfo.InvariantCulture));

    public AwsXmlWriter Value(string name, bool? value) => Value(name, value is null ? null : value.Value ? "true" : "false");

    /// <summary>ISO-8601 UTC with milliseconds, e.g. 2024-01-02T03:04:05.678Z.</summary>
    public AwsXmlWriter Value(string name, DateTimeOffset? value) =>
        Value(name, value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));

    public AwsXmlWriter Struct(string name, Action<AwsXmlWriter> body)
    {
        _xml.WriteStartElement(name);
        body(this);
        _xml.WriteEndElement();
        return this;
    }

    public AwsXmlWriter List<T>(string name, IEnumerable<T> items, Action<AwsXmlWriter, T> member)
    {
        _xml.WriteStartElement(name);
        foreach (var item in items)
        {
            _xml.WriteStartElement("member");
            member(this, item);
            _xml.WriteEndElement();
        }
        _xml.WriteEndElement();
        return this;
    }

    public AwsXmlWriter StringList(string name, IEnumerable<string> items)
    {
        _xml.WriteStartElement(name);
        foreach (var item in items) _xml.WriteElementString("member", item);
        _xml.WriteEndElement();
        return this;
    }

    /// <summary>A map as &lt;entry&gt;&lt;key/&gt;&lt;value/&gt;&lt;/entry&gt; pairs.</summary>
    public AwsXmlWriter Map(string name, IEnumerable<KeyValuePair<string, string>> entries)
    {
        _xml.WriteStartElement(name);
        foreach (var (key, value) in entries)
        {
            _xml.WriteStartElement("entry");
            _xml.WriteElementString("key", key);
            _xml.WriteElementString("value", value);
            _xml.WriteEndElement();
        }
        _xml.WriteEndElement();
        return this;
    }

    public static string Response(string action, string xmlNamespace, string requestId, Action<AwsXmlWriter>? result)
    {
        var text = new StringBuilder(512);
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            xml.WriteStartElement(action + "Response", xmlNamespace);
            xml.WriteStartElement(action + "Result");
            result?.Invoke(new AwsXmlWriter(xml));
            xml.WriteEndElement();
            xml.WriteStartElement("ResponseMetadata");
            xml.WriteElementString("RequestId", requestId);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        return text.ToString();
    }

    public static string Error(ApiException error, string xmlNamespace, string requestId)
    {
        var text = new StringBuilder(256);
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            xml.WriteStartElement("ErrorResponse", xmlNamespace);
            xml.WriteStartElement("Error");
            xml.WriteElementString("Type", error.Type);
            xml.WriteElementString("Code", error.Code);
            xml.WriteElementString("Message", error.Message);
            xml.WriteEndElement();
            xml.WriteElementString("RequestId", requestId);
            xml.WriteEndElement();
        }
        return text.ToString();
    }
}
