using System.Text.RegularExpressions;
using Mocker.Registry;
using Spectre.Console.Testing;
using Xunit;

namespace Mocker.Tests;

/// <summary>
/// The pull display on a terminal: one row per layer that never wraps at 80 or 40 columns, docker's words
/// ("Already exists" for a stored layer), and the speed of the last seconds rather than since the start.
/// </summary>
public sealed partial class PullDisplayTests
{
    private static readonly Descriptor[] Layers =
    [
        new("", "sha256:" + new string('a', 64), 3 << 20),
        new("", "sha256:" + new string('b', 64), 700 << 10),
        new("", "sha256:" + new string('c', 64), 40 << 20),
    ];

    [GeneratedRegex(@"\e\[[0-9;?]*[A-Za-z]")]
    private static partial Regex Escape();

    // What the console shows once the display ends: the rows of its last frame, escapes removed.
    private static string[] Rows(TestConsole console, int count)
    {
        var lines = Escape().Replace(console.Output, "").Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        return lines.Where(l => l.Trim().Length > 0).TakeLast(count).ToArray();
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "each builder call returns the same console, which the caller owns")]
    private static TestConsole Terminal(int width) => new TestConsole().Width(width).Interactive().EmitAnsiSequences().SupportsAnsi(true);

    [Theory]
    [InlineData(80)]
    [InlineData(40)]
    public void Every_row_fits_the_width_and_each_layer_has_one(int width)
    {
        using var console = Terminal(width);
        var bars = new BarProgress(console);
        bars.Show(() =>
        {
            bars.Start(Layers);
            bars.Downloaded(0, 3 << 20);
            bars.Stored(0, fetched: true);
            bars.Applied(0);
            bars.Stored(1, fetched: false);
            bars.Applied(1);
            bars.Downloaded(2, 12 << 20);
            return 0;
        });

        var all = Escape().Replace(console.Output, "").Split('\n');
        Assert.All(all, line => Assert.True(line.TrimEnd('\r').Length <= width, $"{line.Length} columns: '{line}'"));
        var rows = Rows(console, 3);
        Assert.StartsWith("aaaaaaaaaaaa Pull complete", rows[0]);
        Assert.StartsWith("bbbbbbbbbbbb Already exists", rows[1]);
        Assert.StartsWith("cccccccccccc ", rows[2]);
        Assert.Contains("] ", rows[2]);
        Assert.DoesNotContain("0 B", rows[1]);
    }

    [Theory]
    [InlineData(80, true, true)]
    [InlineData(40, false, false)]
    public void A_downloading_row_shows_what_fits(int width, bool words, bool total)
    {
        var line = LayerLine.Format("cccccccccccc", LayerState.Downloading, 12 << 20, 40 << 20, 2.5 * (1 << 20), width);

        Assert.Equal(width, line.Length);
        Assert.Contains("[", line);
        Assert.EndsWith("2.5 MB/s", line);
        Assert.Equal(words, line.Contains("Downloading", StringComparison.Ordinal));
        Assert.Equal(total, line.Contains("/ 40.0 MB", StringComparison.Ordinal));
    }

    [Fact]
    public void No_row_is_wider_than_the_terminal_at_any_width()
    {
        foreach (var state in Enum.GetValues<LayerState>())
            for (var width = 0; width <= 200; width++)
            {
                var line = LayerLine.Format("0123456789abcdef", state, 1023 << 20, 1023L << 30, 1023.9 * 1024 * 1024, width);
                Assert.True(line.Length <= width, $"{state} at {width}: '{line}'");
            }
        // Nothing known yet, or nothing to know: a zero-byte layer, no speed.
        Assert.Equal(40, LayerLine.Format("abc", LayerState.Downloading, 0, 0, null, 40).Length);
    }

    [Fact]
    public void The_speed_is_of_the_last_seconds_not_since_the_start()
    {
        using var console = Terminal(80);
        var clock = new ManualClock();
        var bars = new BarProgress(console, clock);
        bars.Show(() =>
        {
            bars.Start(Layers);
            // 12 MiB in the first second, then 100 KiB a second for five seconds.
            bars.Downloaded(2, 12 << 20);
            for (var second = 1; second <= 5; second++)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                bars.Downloaded(2, 100 << 10);
            }
            return 0;
        });

        var speed = Regex.Match(Rows(console, 3)[2], @"([0-9.]+) (kB|MB)/s$");
        Assert.True(speed.Success, Rows(console, 3)[2]);
        var perSecond = double.Parse(speed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * (speed.Groups[2].Value == "MB" ? 1024 : 1);
        // Since the start it would be about 2 MB/s.
        Assert.InRange(perSecond, 50, 250);
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => now;
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
        public void Advance(TimeSpan by) => now += by;
    }
}
