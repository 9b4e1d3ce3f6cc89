namespace Containet.Cli;

/// <summary>A plain left-aligned text table, as `ip` and `docker ps` print them; cells are escaped for the terminal.</summary>
internal static class Table
{
    public static void Write(TextWriter output, string[] headers, IReadOnlyList<string[]> rawRows)
    {
        var rows = rawRows.Select(r => Array.ConvertAll(r, Printable.Escape)).ToList();
        var widths = Array.ConvertAll(headers, h => h.Length);
        foreach (var row in rows)
            for (var i = 0; i < row.Length; i++)
                widths[i] = Math.Max(widths[i], row[i].Length);
        WriteRow(output, headers, widths);
        foreach (var row in rows) WriteRow(output, row, widths);
    }

    private static void WriteRow(TextWriter output, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
            output.Write(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        output.WriteLine();
    }
}
