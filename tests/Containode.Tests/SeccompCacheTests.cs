using System.Buffers.Binary;
using Containet.TestSupport;
using Containode;
using Xunit;
using Containet.Native;

namespace Containode.Tests;

public sealed class SeccompCacheTests : IDisposable
{
    private const string Source = "test.json";
    private const string Profile = """{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}""";
    private const string Other = """{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["rmdir", "unlink"], "action": "SCMP_ACT_ERRNO"}]}""";

    private readonly TempDir temp = new("seccomp-cache");
    private readonly SeccompCache cache;

    public SeccompCacheTests() => cache = new SeccompCache(temp.Combine("run", "seccomp"));

    private string[] Entries() => Directory.GetFiles(cache.Directory, "*.bpf");

    /// <summary>A cache file is the key's length, the key, the library stamp's length, the stamp, then the program.</summary>
    private static (byte[] Key, string Stamp, byte[] Program) Split(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var keyLength = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var rest = bytes[(4 + keyLength)..];
        var stampLength = BinaryPrimitives.ReadInt32LittleEndian(rest);
        return (bytes[4..(4 + keyLength)], System.Text.Encoding.UTF8.GetString(rest, 4, stampLength), rest[(4 + stampLength)..]);
    }

    private static void Write(string file, byte[] key, string stamp, byte[] program)
    {
        var stampBytes = System.Text.Encoding.UTF8.GetBytes(stamp);
        var keyLength = new byte[4];
        var stampLength = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(keyLength, key.Length);
        BinaryPrimitives.WriteInt32LittleEndian(stampLength, stampBytes.Length);
        File.WriteAllBytes(file, [.. keyLength, .. key, .. stampLength, .. stampBytes, .. program]);
    }

    [Fact]
    public void A_miss_compiles_and_stores_the_program_in_an_owner_only_directory()
    {
        var program = cache.Compile(Profile, Source, Capabilities.DockerDefault);
        Assert.Equal(SeccompProfile.Compile(Profile, Source, Capabilities.DockerDefault), program);
        var entry = Assert.Single(Entries());
        Assert.Equal(program, Split(entry).Program);
        Assert.Equal((UnixFileMode)Mode.O700, File.GetUnixFileMode(cache.Directory));
        Assert.Empty(Directory.GetFiles(cache.Directory, "*.tmp"));
    }

    [Fact]
    public void A_hit_returns_the_stored_program_without_compiling()
    {
        cache.Compile(Profile, Source, Capabilities.DockerDefault);
        var entry = Assert.Single(Entries());
        var planted = SeccompProfile.Compile(Other, Source, 0);
        var (key, stamp, _) = Split(entry);
        Write(entry, key, stamp, planted);
        Assert.Equal(planted, cache.Compile(Profile, Source, Capabilities.DockerDefault));
    }

    [Fact]
    public void The_key_holds_the_profile_the_capabilities_and_the_kernel_and_the_stamp_names_the_loaded_libseccomp()
    {
        cache.Compile(Profile, Source, Capabilities.DockerDefault);
        cache.Compile(Profile, Source, Capabilities.All);
        cache.Compile(Other, Source, Capabilities.DockerDefault);
        Assert.Equal(3, Entries().Length);
        var (key, stamp, _) = Split(Entries()[0]);
        Assert.Contains(Environment.OSVersion.Version.ToString(), System.Text.Encoding.UTF8.GetString(key));
        var library = stamp.Split('\n');
        Assert.Equal(3, library.Length);
        Assert.StartsWith("libseccomp.so.2", Path.GetFileName(library[0]));
        Assert.Equal(new FileInfo(library[0]).Length.ToString(System.Globalization.CultureInfo.InvariantCulture), library[1]);
    }

    [Fact]
    public void An_installed_profile_is_read_on_a_miss_only_and_read_again_once_replaced()
    {
        var path = temp.Combine("installed.json");
        File.WriteAllText(path, Profile);
        var reads = 0;
        string Read() { reads++; return File.ReadAllText(path); }

        Assert.Equal(SeccompProfile.Compile(Profile, Source, 0), cache.CompileInstalled(path, Read, Source, 0));
        Assert.Equal(SeccompProfile.Compile(Profile, Source, 0), cache.CompileInstalled(path, Read, Source, 0));
        Assert.Equal(1, reads);

        File.WriteAllText(path, Other);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(SeccompProfile.Compile(Other, Source, 0), cache.CompileInstalled(path, Read, Source, 0));
        Assert.Equal(2, reads);
        Assert.Equal(2, Entries().Length);
    }

    [Fact]
    public void A_missing_installed_profile_fails_as_its_reader_says()
    {
        var e = Assert.Throws<LaunchException>(() => cache.CompileInstalled(temp.Combine("gone.json"), () => throw new LaunchException("reinstall"), Source, 0));
        Assert.Equal("reinstall", e.Message);
    }

    [Fact]
    public void A_program_from_a_libseccomp_that_was_replaced_is_compiled_again()
    {
        var program = cache.Compile(Profile, Source, Capabilities.DockerDefault);
        var entry = Assert.Single(Entries());
        var (key, stamp, _) = Split(entry);
        var planted = SeccompProfile.Compile(Other, Source, 0);
        var library = stamp.Split('\n');
        foreach (var other in new[] { $"{library[0]}\n{library[1]}\n1", $"{library[0]}\n1\n{library[2]}", $"/nonexistent/libseccomp.so.2\n{library[1]}\n{library[2]}", "" })
        {
            Write(entry, key, other, planted);
            Assert.Equal(program, cache.Compile(Profile, Source, Capabilities.DockerDefault));
        }
    }

    [Fact]
    public void A_damaged_entry_is_compiled_again_and_replaced()
    {
        var program = cache.Compile(Profile, Source, Capabilities.DockerDefault);
        var entry = Assert.Single(Entries());
        var (key, _, stored) = Split(entry);
        foreach (var damaged in new[] { [], [1, 2], [.. File.ReadAllBytes(entry)[..^3]], File.ReadAllBytes(entry)[..20], new byte[64 * 1024] })
        {
            File.WriteAllBytes(entry, damaged);
            Assert.Equal(program, cache.Compile(Profile, Source, Capabilities.DockerDefault));
            var (keyAfter, _, storedAfter) = Split(entry);
            Assert.Equal(key, keyAfter);
            Assert.Equal(stored, storedAfter);
        }
    }

    [Fact]
    public void An_entry_holding_another_key_under_the_same_name_is_not_taken()
    {
        var program = cache.Compile(Profile, Source, Capabilities.DockerDefault);
        var entry = Assert.Single(Entries());
        var (key, stamp, _) = Split(entry);
        key[^1] ^= 1;
        Write(entry, key, stamp, SeccompProfile.Compile(Other, Source, 0));
        Assert.Equal(program, cache.Compile(Profile, Source, Capabilities.DockerDefault));
    }

    [Fact]
    public void A_directory_others_can_write_or_a_symlink_is_not_used()
    {
        Directory.CreateDirectory(cache.Directory);
        File.SetUnixFileMode(cache.Directory, (UnixFileMode)Mode.O777);
        Assert.Equal(SeccompProfile.Compile(Profile, Source, 0), cache.Compile(Profile, Source, 0));
        Assert.Empty(Entries());

        var elsewhere = temp.Combine("elsewhere");
        Directory.CreateDirectory(elsewhere);
        var linked = new SeccompCache(temp.Combine("linked"));
        File.CreateSymbolicLink(linked.Directory, elsewhere);
        linked.Compile(Profile, Source, 0);
        Assert.Empty(Directory.GetFiles(elsewhere));
    }

    [Fact]
    public void A_directory_that_cannot_be_made_still_gives_the_program()
    {
        File.WriteAllText(temp.Combine("file"), "");
        var nowhere = new SeccompCache(temp.Combine("file", "seccomp"));
        Assert.Equal(SeccompProfile.Compile(Profile, Source, 0), nowhere.Compile(Profile, Source, 0));
    }

    [Fact]
    public void A_bad_profile_fails_as_without_the_cache_and_stores_nothing()
    {
        var e = Assert.Throws<LaunchException>(() => cache.Compile("""{"defaultAction": "SCMP_ACT_NOPE"}""", Source, 0));
        Assert.Equal("seccomp profile test.json: defaultAction: unknown action SCMP_ACT_NOPE", e.Message);
        Assert.False(Directory.Exists(cache.Directory) && Entries().Length > 0);
    }

    public void Dispose() => temp.Dispose();
}
