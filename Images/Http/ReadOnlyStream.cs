using Containet.Native;

namespace Mocker.Http;

/// <summary>A <see cref="SequentialStream"/> that is only read.</summary>
public abstract class ReadOnlyStream : SequentialStream
{
    public override bool CanWrite => false;
    public override void Write(ReadOnlySpan<byte> buffer) => throw new NotSupportedException();
}
