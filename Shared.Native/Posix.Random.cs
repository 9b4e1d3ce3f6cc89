using Containet.Native.Interop;

namespace Containet.Native;

/// <summary>Random bytes from the kernel.</summary>
public static partial class Posix
{
    /// <summary>
    /// Fills the buffer from the kernel's random source (getrandom), for secrets such as tokens: cheaper to start
    /// than the crypto stack, and unlike <see cref="Random"/> its output says nothing about what comes next.
    /// </summary>
    public static unsafe void FillRandom(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            for (var done = 0; done < buffer.Length;)
            {
                nint n;
                do n = Libc.getrandom(p + done, (nuint)(buffer.Length - done), 0); while (Libc.Interrupted(n));
                if (n < 0) throw NativeException.Last("getrandom");
                done += (int)n;
            }
        }
    }
}
