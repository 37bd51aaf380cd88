namespace Elbe.DataPlane.Forwarding.Http1;

/// <summary>Why a target connection was torn down in the middle of an exchange: it decides what the client gets.</summary>
public enum TargetConnectionAbort
{
    None,
    /// <summary>The client went away: ALB logs 460 and nobody sees a response.</summary>
    ClientGone,
    /// <summary>The target said nothing for the listener's idle timeout: 504.</summary>
    TargetIdle,
    /// <summary>The target's deregistration delay ended with the request still in flight: 502.</summary>
    Cutoff,
}
