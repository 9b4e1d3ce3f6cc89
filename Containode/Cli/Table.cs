using System.Text;

namespace Containode.Cli;

/// <summary>Columns padded to their widest cell, two spaces apart, as docker ps prints them.</summary>
public static class Table
{
    public static string Render(string[] headers, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(headers).ToList();
        var widths = headers.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            for (var i = 0; i < row.Length; i++)
                text.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            while (text.Length > 0 && text[^1] == ' ') text.Length--;
            text.Append('\n');
        }
        return text.ToString().TrimEnd('\n');
    }
}
