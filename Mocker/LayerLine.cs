namespace Mocker;

/// <summary>What a layer of a pull is doing, in docker pull's words.</summary>
public enum LayerState { Waiting, Downloading, DownloadComplete, AlreadyExists, PullComplete }

/// <summary>
/// One layer's row of the pull display, fitted to the terminal's width so that it never wraps: the short digest
/// and docker pull's words, and while it downloads a bar, the bytes and the current speed. What does not fit is
/// left out, the least useful first: the word "Downloading", the total, the bytes, then the bar.
/// </summary>
public static class LayerLine
{
    public const int IdWidth = 12;
    private const int MinBar = 10, MaxBar = 42;
    // Size.Format is at most 9 characters ("1023.9 kB"), a speed 11 ("1023.9 kB/s").
    private const int SizeWidth = 9, SpeedWidth = 11;

    private enum Part { Word, Bar, Done, Total, Speed }

    // Layouts of a downloading row, from the fullest down; each fits where its fixed parts and the shortest bar do.
    private static readonly Part[][] Layouts =
    [
        [Part.Word, Part.Bar, Part.Done, Part.Total, Part.Speed],
        [Part.Bar, Part.Done, Part.Total, Part.Speed],
        [Part.Bar, Part.Done, Part.Speed],
        [Part.Bar, Part.Speed],
        [Part.Speed],
    ];

    public static string Words(LayerState state) => state switch
    {
        LayerState.Waiting => "Waiting",
        LayerState.Downloading => "Downloading",
        LayerState.DownloadComplete => "Download complete",
        LayerState.AlreadyExists => "Already exists",
        _ => "Pull complete",
    };

    /// <summary>
    /// The row of a layer <paramref name="id"/> (its short digest) that has <paramref name="done"/> of
    /// <paramref name="total"/> bytes at <paramref name="speed"/> bytes a second (null: not known yet), at most
    /// <paramref name="width"/> characters long.
    /// </summary>
    public static string Format(string id, LayerState state, long done, long total, double? speed, int width)
    {
        var line = state == LayerState.Downloading ? Id(id) + Downloading(done, total, speed, width - IdWidth) : Id(id) + " " + Words(state);
        return line.Length <= width ? line : line[..Math.Max(0, width)];
    }

    private static string Id(string id) => id.Length >= IdWidth ? id[..IdWidth] : id.PadRight(IdWidth);

    // The parts after the id, each led by a space.
    private static string Downloading(long done, long total, double? speed, int room)
    {
        foreach (var layout in Layouts)
        {
            var fixedWidth = layout.Sum(p => 1 + p switch
            {
                Part.Word => Words(LayerState.Downloading).Length,
                Part.Bar => 0,
                Part.Done => SizeWidth,
                Part.Total => 2 + SizeWidth,
                _ => SpeedWidth,
            });
            var bar = Math.Min(MaxBar, room - fixedWidth);
            if (layout.Contains(Part.Bar) && bar < MinBar) continue;
            var text = new System.Text.StringBuilder();
            foreach (var part in layout)
                text.Append(' ').Append(part switch
                {
                    Part.Word => Words(LayerState.Downloading),
                    Part.Bar => Bar(done, total, bar),
                    Part.Done => ByteSize.FormatColumn(done).PadLeft(SizeWidth),
                    Part.Total => "/ " + ByteSize.FormatColumn(total).PadRight(SizeWidth),
                    _ => (speed is { } s ? ByteSize.FormatColumn((long)s) + "/s" : "").PadLeft(SpeedWidth),
                });
            return text.ToString();
        }
        return "";
    }

    // docker's bar: [=====>     ], brackets included in the width.
    private static string Bar(long done, long total, int width)
    {
        var inside = width - 2;
        var filled = total <= 0 ? 0 : (int)(inside * Math.Clamp(done / (double)total, 0, 1));
        return "[" + new string('=', Math.Max(0, filled - 1)) + (filled > 0 ? ">" : "") + new string(' ', inside - filled) + "]";
    }
}
