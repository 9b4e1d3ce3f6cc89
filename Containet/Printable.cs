using System.Globalization;
using System.Text;

namespace Containet;

/// <summary>
/// Text from a client made safe for a terminal: control characters (C0, DEL and C1) become \xNN and a
/// backslash is doubled, so nothing a client sends can move the cursor, clear the screen or retitle a window.
/// </summary>
public static class Printable
{
    public static string Escape(string text)
    {
        if (!NeedsEscaping(text)) return text;
        var b = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c == '\\') b.Append(@"\\");
            else if (IsControl(c)) b.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            else b.Append(c);
        }
        return b.ToString();
    }

    private static bool NeedsEscaping(string text)
    {
        foreach (var c in text)
            if (c == '\\' || IsControl(c)) return true;
        return false;
    }

    private static bool IsControl(char c) => c < 0x20 || c is >= '\u007f' and <= '\u009f';
}
