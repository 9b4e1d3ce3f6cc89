using Grpc.Core;

namespace Containode.Remote.Serve;

/// <summary>
/// The server's caps, each checked before the work: connections, streams per connection, a request's size, and
/// output streams at once (each holds a read buffer and a chunk, so memory stays bounded however many clients read).
/// </summary>
public sealed class ServeLimits
{
    public const int MaxConnections = 256, MaxStreamsPerConnection = 128, MaxRequestBytes = 256 * 1024, MaxOutputStreams = 512;

    private int outputs;

    public IDisposable OutputSlot()
    {
        if (Interlocked.Increment(ref outputs) > MaxOutputStreams)
        {
            Interlocked.Decrement(ref outputs);
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"{MaxOutputStreams} output streams are open on this node: try again later"));
        }
        return new Slot(this);
    }

    private sealed class Slot(ServeLimits limits) : IDisposable
    {
        private int done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref done, 1) == 0) Interlocked.Decrement(ref limits.outputs);
        }
    }
}
