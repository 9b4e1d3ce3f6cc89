using System.Text;
using Mocker.References;
using Mocker.Registry;
using Xunit;

namespace Mocker.Tests;

/// <summary>The platform and creation time an image's config gives, and whether the platform serves a request.</summary>
public sealed class ImageConfigTests
{
    private static ImageConfig Read(string json) => ImageConfig.Read(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Reads_the_platform_and_the_creation_time()
    {
        var config = Read("""{"architecture":"arm","os":"linux","variant":"v7","created":"2024-05-06T07:08:09Z","rootfs":{}}""");
        Assert.Equal(new Platform("linux", "arm", "v7"), config.Platform);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero), config.Created);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""["created"]""")]
    [InlineData("""{"os":"linux"}""")]
    [InlineData("""{"os":"linux","architecture":7}""")]
    [InlineData("""{"os":"","architecture":"amd64","created":"yesterday"}""")]
    public void A_config_that_does_not_say_tells_nothing(string json)
    {
        var config = Read(json);
        Assert.Null(config.Platform);
        Assert.Equal(DateTimeOffset.MinValue, config.Created);
    }

    [Theory]
    [InlineData("linux/amd64", "linux/amd64", true)]
    [InlineData("linux/arm64", "linux/amd64", false)]
    [InlineData("windows/amd64", "linux/amd64", false)]
    [InlineData("linux/arm64", "linux/arm64/v8", true)]
    [InlineData("linux/arm64/v8", "linux/arm64", true)]
    [InlineData("linux/arm/v7", "linux/arm/v6", false)]
    public void A_request_is_served_by_the_same_os_and_architecture_and_a_variant_only_when_both_give_one(string request, string image, bool served) =>
        Assert.Equal(served, Platform.Parse(request).IsServedBy(Platform.Parse(image)));
}
