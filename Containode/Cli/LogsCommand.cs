using System.Text;
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

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "a log reopened when it rotates is disposed then and in the finally; the first is a using declaration")]
    public static int Run(ArgParser.Result parsed)
    {
        if (parsed.Operands.Count != 1) throw new UsageException("name one container");
        var record = Containers.Store.Resolve(parsed.Operands[0]);
        int? tail = parsed.Value(Tail) is { } t
            ? int.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : throw new UsageException($"--tail {t}: a number of lines")
            : null;
        var printer = new Printer(parsed.Has(Timestamps));
        using var stdout = Console.OpenStandardOutput();
        using var stderr = Console.OpenStandardError();

        var lines = new List<string>();
        var older = record.LogFile + ".1";
        if (File.Exists(older)) lines.AddRange(File.ReadAllLines(older));
        using var current = Open(record.LogFile);
        var pending = new StringBuilder();
        if (current is not null) lines.AddRange(ReadLines(current, pending));
        foreach (var line in tail is { } keep ? lines.TakeLast(keep) : lines) printer.Print(line, stdout, stderr);
        if (!parsed.Has(Follow)) return 0;

        var stream = current;
        try
        {
            while (true)
            {
                var running = record.Status().State == ContainerStatus.Phase.Running;
                stream ??= Open(record.LogFile);
                if (stream is not null)
                {
                    foreach (var line in ReadLines(stream, pending)) printer.Print(line, stdout, stderr);
                    // Rotated: the monitor renamed this file and writes a new one.
                    if (Rotated(stream, record.LogFile))
                    {
                        stream.Dispose();
                        stream = null;
                        pending.Clear();
                        continue;
                    }
                }
                if (!running) break;
                Thread.Sleep(FollowInterval);
            }
        }
        finally
        {
            if (!ReferenceEquals(stream, current)) stream?.Dispose();
        }
        return 0;
    }

    private static FileStream? Open(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    /// <summary>The whole lines written since the last read; a line still being written waits in <paramref name="pending"/>.</summary>
    private static List<string> ReadLines(FileStream stream, StringBuilder pending)
    {
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = stream.Read(buffer)) > 0) pending.Append(Encoding.UTF8.GetString(buffer, 0, n));
        var text = pending.ToString();
        var end = text.LastIndexOf('\n');
        if (end < 0) return [];
        pending.Remove(0, end + 1);
        return [.. text[..end].Split('\n')];
    }

    /// <summary>The file at <paramref name="path"/> is a new one: shorter than what was read of the old.</summary>
    private static bool Rotated(FileStream stream, string path)
    {
        var now = new FileInfo(path);
        return now.Exists && now.Length < stream.Position;
    }

    /// <summary>Writes one CRI log entry's text to the stream it came from; a partial entry (P) continues on the next.</summary>
    private sealed class Printer(bool timestamps)
    {
        private bool midLine;

        public void Print(string entry, Stream stdout, Stream stderr)
        {
            var parts = entry.Split(' ', 4);
            if (parts.Length < 3) return;
            var text = parts.Length == 4 ? parts[3] : "";
            var partial = parts[2] == "P";
            var target = parts[1] == "stderr" ? stderr : stdout;
            var prefix = timestamps && !midLine ? parts[0] + " " : "";
            target.Write(Encoding.UTF8.GetBytes(prefix + text + (partial ? "" : "\n")));
            target.Flush();
            midLine = partial;
        }
    }
}
