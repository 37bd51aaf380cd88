using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Elbe.DataPlane.Listeners.Detaching;

/// <summary>
/// Kestrel's reads that wait on the transport, for one attachment: its own value task source (a PipeReader has one
/// read at a time), so a kept-alive request allocates nothing here, where a pooled async method would with many
/// connections waiting at once. It lives only while Kestrel is attached, so a detached connection does not keep it.
/// </summary>
internal sealed class PendingTransportRead(DetachableReader reader, PipeReader transport) : IValueTaskSource<ReadResult>
{
    private ManualResetValueTaskSourceCore<ReadResult> _completion;
    private ValueTaskAwaiter<ReadResult> _transportRead;
    private CancellationToken _readToken;
    private Action? _onTransportRead;

    public ValueTask<ReadResult> Await(ValueTask<ReadResult> pending, CancellationToken cancellationToken)
    {
        _completion.Reset();
        _readToken = cancellationToken;
        _transportRead = pending.GetAwaiter();
        _transportRead.UnsafeOnCompleted(_onTransportRead ??= OnTransportRead);
        return new ValueTask<ReadResult>(this, _completion.Version);
    }

    private void OnTransportRead()
    {
        ReadResult result;
        try
        {
            // Each turn past the first consumes one cancel of the reader's own, as in DetachableReader.ReadAsync.
            while (true)
            {
                result = _transportRead.GetResult();
                _transportRead = default;
                if (reader.TryResolve(ref result)) break;
                var pending = transport.ReadAsync(_readToken);
                _transportRead = pending.GetAwaiter();
                if (!pending.IsCompleted)
                {
                    _transportRead.UnsafeOnCompleted(_onTransportRead!);
                    return;
                }
            }
        }
        catch (Exception exception)
        {
            _completion.SetException(exception);
            return;
        }
        _completion.SetResult(result);
    }

    public ReadResult GetResult(short token) => _completion.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
