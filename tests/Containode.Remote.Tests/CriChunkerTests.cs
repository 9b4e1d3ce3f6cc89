using System.Text;
using Containode.Remote.Serve;

namespace Containode.Remote.Tests;

public sealed class CriChunkerTests
{
    private static string Render(IEnumerable<OutputChunk> chunks) =>
        string.Concat(chunks.Select(c => (c.Stream == OutputChunk.Types.Stream.Stderr ? "E[" : "O[") + c.Data.ToStringUtf8() + "]"));

    [Fact]
    public void Entries_become_the_text_each_stream_wrote_with_partial_lines_joined()
    {
        var log = "2026-01-01T00:00:00.000000000Z stdout F one\n2026-01-01T00:00:00.1Z stdout P tw\n2026-01-01T00:00:00.2Z stdout F o\n" +
            "2026-01-01T00:00:00.3Z stderr F oops\n2026-01-01T00:00:00.4Z stdout F \n";

        Assert.Equal("O[one\ntwo\n]E[oops\n]O[\n]", Render(new CriChunker().Feed(Encoding.UTF8.GetBytes(log))));
    }

    [Fact]
    public void A_line_split_across_reads_waits_for_its_end()
    {
        var chunker = new CriChunker();
        var first = Render(chunker.Feed("T stdout F hel"u8));
        var second = Render(chunker.Feed("lo\nT stderr F x\n"u8));

        Assert.Equal("", first);
        Assert.Equal("O[hello\n]E[x\n]", second);
    }

    [Fact]
    public void Malformed_lines_are_skipped_and_chunks_never_pass_their_size()
    {
        var big = new string('a', CriChunker.MaxChunk + 10);
        var chunks = new CriChunker().Feed(Encoding.UTF8.GetBytes($"garbage\nT stdout\nT stdout F {big}\n"));

        Assert.All(chunks, c => Assert.True(c.Data.Length <= CriChunker.MaxChunk));
        Assert.Equal(big + "\n", string.Concat(chunks.Select(c => c.Data.ToStringUtf8())));
    }
}
