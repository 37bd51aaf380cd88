namespace Elbe.DataPlane.Network.EventLoop;

/// <summary>A socket a <see cref="RelayLoop"/> watches besides its TCP flows and listeners (a UDP relay's, an HTTP listener's and its client connections), told when it is ready.</summary>
internal interface IReadiness
{
    void OnReady(uint events);
}
