using System.Runtime.InteropServices;
using System.Text;

namespace Containet.Native.Interop;

/// <summary>NULL-terminated arrays of NUL-terminated UTF-8 strings, as execve and the shim take them.</summary>
internal static unsafe class NativeStrings
{
    public static byte** Array(IReadOnlyList<string> values)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < values.Count; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(values[i]);
            var s = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
            bytes.AsSpan().CopyTo(new Span<byte>(s, bytes.Length));
            s[bytes.Length] = 0;
            array[i] = s;
        }
        return array;
    }

    public static void Free(byte** array)
    {
        for (var p = array; *p != null; p++) NativeMemory.Free(*p);
        NativeMemory.Free(array);
    }
}
