using Containet.Cli;
using Xunit;

namespace Containet.Tests;

public sealed class PrintableTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("\u001b[2Jx", "\\x1b[2Jx")]
    [InlineData("a\nb\r\tc", "a\\x0ab\\x0d\\x09c")]
    [InlineData("del\u007f c1\u009b", "del\\x7f c1\\x9b")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("ünïcode ok", "ünïcode ok")]
    public void Control_characters_are_escaped(string raw, string shown) => Assert.Equal(shown, Printable.Escape(raw));

    [Fact]
    public void The_ports_table_escapes_its_cells()
    {
        using var output = new StringWriter();
        Table.Write(output, ["NODE"], [["\u001b]0;title\u0007"]]);
        Assert.DoesNotContain('\u001b', output.ToString());
        Assert.Contains("\\x1b]0;title\\x07", output.ToString());
    }
}
