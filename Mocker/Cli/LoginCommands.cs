using Containet.Cli;
using System.CommandLine;
using System.Net;
using Mocker.References;
using Mocker.Registry;

namespace Mocker.Cli;

/// <summary>`mocker login` and `mocker logout`, stored as Docker stores them.</summary>
internal static class LoginCommands
{
    private static readonly Argument<string> RegistryArgument = new("REGISTRY") { Description = "registry host[:port] (docker.io for Docker Hub); a scheme and path are dropped" };

    private static string Registry(ParseResult r) => UsageException.Check(() => ImageReference.RegistryHost(r.GetValue(RegistryArgument)!));

    public static Command Login()
    {
        var user = new Option<string>("--username", "-u") { Description = "user name", Required = true };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "read the password from stdin" };
        var command = new Command("login", "log in to a registry") { RegistryArgument, user, passwordStdin };
        command.SetAction(r =>
        {
            if (!r.GetValue(passwordStdin))
                throw new UsageException("give the password on stdin with --password-stdin, so it stays out of the shell history");
            var registry = Registry(r);
            var password = Console.In.ReadToEnd().TrimEnd('\n', '\r');
            var credentials = Credentials.Default();
            var previous = credentials.Find(registry);
            credentials.Save(registry, r.GetValue(user)!, password);
            try
            {
                using var client = MockerOptions.Registry(r);
                client.Ping(new ImageReference(registry, "x", null, null), Interruption.Token);
            }
            catch (RegistryException e)
            {
                if (previous is { } p) credentials.Save(registry, p.User, p.Password);
                else credentials.Remove(registry);
                if (e.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    throw new RegistryException($"invalid username or password for {registry}");
                throw;
            }
            Console.Out.WriteLine("Login Succeeded");
            return 0;
        });
        return command;
    }

    public static Command Logout()
    {
        var command = new Command("logout", "forget the login for a registry") { RegistryArgument };
        command.SetAction(r =>
        {
            var registry = Registry(r);
            Console.Out.WriteLine(Credentials.Default().Remove(registry) ? $"Removing login credentials for {registry}" : $"Not logged in to {registry}");
            return 0;
        });
        return command;
    }
}
