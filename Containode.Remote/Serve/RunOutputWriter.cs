using Containode.Remote.Api;
using Grpc.Core;

namespace Containode.Remote.Serve;

/// <summary>A job's output, as <see cref="JobOutput"/> sends it, into a Run call's stream of events.</summary>
public sealed class RunOutputWriter(IServerStreamWriter<RunEvent> events) : IServerStreamWriter<OutputChunk>
{
    public WriteOptions? WriteOptions
    {
        get => events.WriteOptions;
        set => events.WriteOptions = value;
    }

    public Task WriteAsync(OutputChunk message) => events.WriteAsync(new RunEvent { Output = message });

    public Task WriteAsync(OutputChunk message, CancellationToken cancellationToken) => events.WriteAsync(new RunEvent { Output = message }, cancellationToken);
}
