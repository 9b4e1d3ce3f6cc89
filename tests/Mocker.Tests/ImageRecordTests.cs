using System.Text.Json;
using Mocker.Store;
using Xunit;

namespace Mocker.Tests;

public sealed class ImageRecordTests
{
    private static readonly ImageRecord Record = new("reg.example:5000/a \"b\"\\c\u0001ü:latest", "sha256:aa", "sha256:bb", "linux/arm/v7",
        1234567890123, new DateTimeOffset(2026, 11, 30, 4, 5, 6, 789, TimeSpan.Zero), ["sha256:l1", "sha256:l2"], "sha256:cc");

    [Fact]
    public void A_record_reads_back_the_same_even_with_characters_json_must_escape()
    {
        using var doc = JsonDocument.Parse(ImageRecord.ToJson([Record], array: false));
        var back = ImageRecord.Read(doc.RootElement);
        Assert.Equal(Record with { Layers = back.Layers }, back);
        Assert.Equal(Record.Layers, back.Layers);
    }

    [Fact]
    public void Lists_are_json_arrays_also_when_empty()
    {
        var empty = Record with { Layers = [] };
        using var doc = JsonDocument.Parse(ImageRecord.ToJson([Record, empty], array: true));
        Assert.Equal(2, doc.RootElement.GetArrayLength());
        Assert.Empty(ImageRecord.Read(doc.RootElement[1]).Layers);
        using var none = JsonDocument.Parse(ImageRecord.ToJson([], array: true));
        Assert.Equal(0, none.RootElement.GetArrayLength());
    }
}
