using Containode.Remote.Client;
using Containode.Remote.Serve;

namespace Containode.Remote;

/// <summary>
/// containode-remote: what containode execs for `containode serve` (the server) and for its verbs against a remote
/// node (`--host`, CONTAINODE_HOST: the client). Apart from containode so that ASP.NET Core and gRPC weigh on
/// neither containode's size nor its start.
/// </summary>
public static class RemoteProgram
{
    public static int Main(string[] args)
    {
        try
        {
            return args.Length > 0 && args[0] == "serve" ? ServeHost.Run(args[1..]) : RemoteCli.Run(args).GetAwaiter().GetResult();
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine("containode: " + e.Message + ". Try 'containode --help'.");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException or HttpRequestException)
        {
            Console.Error.WriteLine("containode: " + e.Message);
            return 1;
        }
    }
}
