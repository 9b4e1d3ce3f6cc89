using Containet.Native;

namespace Containode.Cli;

/// <summary>
/// logs [-f] [--tail N] [-t] NAME: what a detached container wrote, from its log (container.log.1, then
/// container.log; CRI format, one entry per line: TIME STREAM F|P TEXT). stdout entries go to stdout, stderr
/// entries to stderr. -f follows the log until the container has exited.
/// </summary>
public static class LogsCommand
{
    public static readonly CliOption Follow = new("--follow", 'f', null, "keep printing what the container writes, until it exits");
    public static readonly CliOption Tail = new("--tail", null, "N", "only the last N lines");
    public static readonly CliOption Timestamps = new("--timestamps", 't', null, "begin each line with the time it was written");

    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(100);

    public static int Run(ArgParser.Result parsed)
    {
        if (parsed.Operands.Count != 1) throw new UsageException("name one container");
        var record = Containers.Store.Resolve(parsed.Operands[0]);
        int? tail = parsed.Value(Tail) is { } t
            ? int.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : throw new UsageException($"--tail {t}: a number of lines")
            : null;
        using var stdout = Console.OpenStandardOutput();
        using var stderr = Console.OpenStandardError();
        var older = record.LogFile + ".1";
        // --tail: the entries are counted first, so that the log streams through without being held.
        var buffer = new byte[ReadSize];
        var skip = tail is { } keep ? Math.Max(0, CountLines(older, buffer) + CountLines(record.LogFile, buffer) - keep) : 0;
        using var printer = new Printer(parsed.Has(Timestamps), stdout, stderr, skip);
        using (var rotated = Open(older)) if (rotated is not null) printer.ReadToEnd(rotated, buffer);

        var stream = Open(record.LogFile);
        try
        {
            while (true)
            {
                var running = parsed.Has(Follow) && record.Status().State == ContainerStatus.Phase.Running;
                stream ??= Open(record.LogFile);
                if (stream is not null)
                {
                    printer.ReadToEnd(stream, buffer);
                    // Rotated: the monitor renamed this file and writes a new one.
                    if (Rotated(stream, record.LogFile))
                    {
                        stream.Dispose();
                        stream = null;
                        continue;
                    }
                }
                if (!running) break;
                Thread.Sleep(FollowInterval);
            }
        }
        finally
        {
            stream?.Dispose();
        }
        return 0;
    }

    private const int ReadSize = 64 * 1024;

    private static FileStream? Open(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    private static int CountLines(string path, byte[] buffer)
    {
        using var file = Open(path);
        if (file is null) return 0;
        int n, lines = 0;
        while ((n = file.Read(buffer)) > 0) lines += buffer.AsSpan(0, n).Count((byte)'\n');
        return lines;
    }

    /// <summary>The file at <paramref name="path"/> is a new one: shorter than what was read of the old.</summary>
    private static bool Rotated(FileStream stream, string path)
    {
        var now = new FileInfo(path);
        return now.Exists && now.Length < stream.Position;
    }

    /// <summary>
    /// Writes each entry's text to the stream it came from, buffered: a stream's buffer is written out when the other
    /// stream's turn comes and when the log has no more for now, so stdout and stderr keep their order on a terminal.
    /// A partial entry (P) continues on the next.
    /// </summary>
    private sealed class Printer(bool timestamps, Stream stdout, Stream stderr, int skip) : CriLogParser, IDisposable
    {
        private readonly BufferedStream output = new(stdout, ReadSize), errors = new(stderr, ReadSize);
        private BufferedStream? last;
        private bool midLine;
        private int skipped;

        public void ReadToEnd(FileStream file, byte[] buffer)
        {
            int n;
            while ((n = file.Read(buffer)) > 0) Parse(buffer.AsSpan(0, n));
            last?.Flush();
        }

        protected override void Entry(ReadOnlySpan<byte> time, bool stderr, bool partial, ReadOnlySpan<byte> text)
        {
            if (skipped < skip)
            {
                skipped++;
                return;
            }
            var target = stderr ? errors : output;
            if (target != last) last?.Flush();
            last = target;
            if (timestamps && !midLine)
            {
                target.Write(time);
                target.WriteByte((byte)' ');
            }
            target.Write(text);
            if (!partial) target.WriteByte((byte)'\n');
            midLine = partial;
        }

        public void Dispose()
        {
            output.Dispose();
            errors.Dispose();
        }
    }
}
