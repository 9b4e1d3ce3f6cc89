using SharpPcap;
using SharpPcap.LibPcap;

namespace Containet.Tests;

/// <summary>A capture file read by libpcap through SharpPcap: the reader every other tool uses, so what it reads is standard.</summary>
internal static class PcapFile
{
    public sealed record Frame(DateTime Time, PacketDotNet.LinkLayers LinkType, byte[] Data);

    public static List<Frame> Read(string path)
    {
        using var device = new CaptureFileReaderDevice(path);
        device.Open();
        var frames = new List<Frame>();
        while (device.GetNextPacket(out var capture) == GetPacketStatus.PacketRead)
        {
            var raw = capture.GetPacket();
            frames.Add(new Frame(raw.Timeval.Date, raw.LinkLayerType, raw.Data));
        }
        return frames;
    }
}
