using System.Net;

namespace Containet.Network;

/// <summary>The nameservers a resolv.conf names, in order.</summary>
public static class Resolvers
{
    public const string HostFile = "/etc/resolv.conf";

    public static List<IPAddress> Parse(string resolvConf)
    {
        var servers = new List<IPAddress>();
        foreach (var line in resolvConf.Split('\n'))
        {
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && fields[0] == "nameserver" && IPAddress.TryParse(fields[1].Split('%')[0], out var address))
                servers.Add(address);
        }
        return servers;
    }

    /// <summary>The host's nameservers, or none if its resolv.conf cannot be read.</summary>
    public static List<IPAddress> OfHost()
    {
        try { return Parse(File.ReadAllText(HostFile)); }
        catch (IOException) { return []; }
    }
}
