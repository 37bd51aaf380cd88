namespace Elbe.DataPlane.Forwarding;

/// <summary>
/// Where ALB's request rewrite (<see cref="AlbRequestTransformer.Rewrite"/>) lands: the outgoing HttpRequestMessage's
/// headers on the YARP path, the list of edits the HTTP/1.1 path applies while it writes the client's headers.
/// One definition of what ALB adds and removes serves both.
/// </summary>
public interface IRequestHeaderEditor
{
    /// <summary>Removes every value of <paramref name="name"/>.</summary>
    void Remove(string name);

    /// <summary>Replaces every value of <paramref name="name"/> with <paramref name="value"/>.</summary>
    void Set(string name, string value);
}
