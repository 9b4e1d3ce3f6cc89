using Containet.Native;
using System.Net;

namespace Containode;

/// <summary>
/// The container's /etc/resolv.conf. On a switch with a network the gateway answers (container names, and the
/// host's resolvers behind it); on the host's network the host's file serves as it is; otherwise the host's
/// nameservers, less loopback ones (a stub such as 127.0.0.53 is not there in the container's namespace).
/// </summary>
public static class ResolvConf
{
    public const string HostFile = "/etc/resolv.conf";

    public static string For(IPAddress? nameserver, bool hostNetwork, string hostText)
    {
        if (nameserver is not null) return $"nameserver {nameserver}\n";
        if (hostNetwork) return hostText;
        var kept = new System.Text.StringBuilder();
        foreach (var line in hostText.Split('\n'))
        {
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || fields[0] is not ("nameserver" or "search" or "options")) continue;
            if (fields[0] == "nameserver" && (!IPAddress.TryParse(fields[1].Split('%')[0], out var a) || IPAddress.IsLoopback(a))) continue;
            kept.Append(line.Trim()).Append('\n');
        }
        return kept.ToString();
    }

    /// <summary>The copy in the run dir, which the container's /etc/resolv.conf is bound to.</summary>
    public static string InRunDir(string runDir) => Path.Combine(runDir, "resolv.conf");

    /// <summary>
    /// Names the nameserver in the run dir's copy, when there is one, rewritten in place: the container's bind mount
    /// shows the same file, whether it is made yet or not.
    /// </summary>
    public static void Update(string runDir, IPAddress nameserver)
    {
        var path = InRunDir(runDir);
        if (File.Exists(path)) SmallFile.Write(path, For(nameserver, hostNetwork: false, ""));
    }

    /// <summary>The host's file, or nothing if it cannot be read.</summary>
    public static string HostText()
    {
        try { return SmallFile.Read(HostFile); }
        catch (IOException) { return ""; }
    }
}
