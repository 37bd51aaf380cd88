namespace Elbe.DataPlane.Listeners;

/// <summary>
/// The swap point between the control plane and a running listener: requests read <see cref="Current"/>
/// once and use that snapshot to the end, so an apply never changes a request halfway.
/// </summary>
public sealed class ListenerRuntime(ListenerSnapshot initial)
{
    private volatile ListenerSnapshot _current = initial;

    public ListenerSnapshot Current => _current;

    public void Swap(ListenerSnapshot next) => _current = next;
}
