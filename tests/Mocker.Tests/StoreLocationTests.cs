using Containet.Native;
using Mocker.Store;
using Xunit;

namespace Mocker.Tests;

/// <summary>Which store mocker and containode use when no --store is given: MOCKER_STORE, root's, or the user's own.</summary>
public sealed class StoreLocationTests
{
    [Theory]
    [InlineData("/srv/images", true, "/srv/images")]
    [InlineData("/srv/images", false, "/srv/images")]
    [InlineData(null, true, StoreLocation.Default)]
    [InlineData("", true, StoreLocation.Default)]
    [InlineData(null, false, "/home/ann/.local/share/containet/images")]
    public void Mocker_store_wins_then_root_has_the_system_store_and_a_user_their_own(string? mockerStore, bool root, string expected) =>
        Assert.Equal(expected, StoreLocation.For(mockerStore, root, () => UserData.For(null, "/home/ann")));

    [Theory]
    [InlineData(null, "/home/ann/.local/share/containet")]
    [InlineData("", "/home/ann/.local/share/containet")]
    [InlineData("/data/ann", "/data/ann/containet")]
    [InlineData("relative/data", "/home/ann/.local/share/containet")]
    public void A_users_data_directory_honours_an_absolute_xdg_data_home(string? xdgDataHome, string expected) =>
        Assert.Equal(expected, UserData.For(xdgDataHome, "/home/ann"));
}
