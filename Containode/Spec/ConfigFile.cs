using Containet.Native;
namespace Containode;

/// <summary>
/// minimal_containers' config files: KEY=VALUE lines, blank lines and lines starting with # ignored (a comment
/// cannot share a line with a pair: a # in a value is part of it). Strict: CRLF line ends, an unknown key and a
/// bad value are errors naming FILE:LINE and the key. The keys are <see cref="SpecOptions"/>'.
/// </summary>
public static class ConfigFile
{
    /// <summary>At most this many bytes: a config file is a few lines.</summary>
    public const int MaxBytes = 1 << 20;

    public static ContainerSpec Parse(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new ConfigException($"{path}: no such file");
        if (info.Length > MaxBytes) throw new ConfigException($"{path}: larger than {MaxBytes} bytes");
        return Parse(path, SmallFile.Read(path));
    }

    public static ContainerSpec Parse(string path, string text)
    {
        var spec = new ContainerSpec();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var where = $"{path}:{i + 1}";
            if (line.EndsWith('\r')) throw new ConfigException($"{where}: CRLF line end; save the file with LF line ends (dos2unix)");
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var eq = line.IndexOf('=');
            if (eq <= 0) throw new ConfigException($"{where}: expected KEY=VALUE, got '{Printable(line)}'");
            var key = line[..eq];
            var option = SpecOptions.Find(key) ?? throw new ConfigException($"{where}: unknown key '{Printable(key)}'");
            try
            {
                option.Set(spec, line[(eq + 1)..]);
            }
            catch (UsageException e)
            {
                throw new ConfigException($"{where}: {key}: {e.Message}");
            }
        }
        return spec;
    }

    private static string Printable(string s) => s.Length > 80 ? s[..80] + "..." : s;
}

/// <summary>A config file that cannot be used as written: FILE:LINE, the key, and why.</summary>
public sealed class ConfigException(string message) : Exception(message);
