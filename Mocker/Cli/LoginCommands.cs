using System.CommandLine;
using Mocker.References;
using Mocker.Registry;

namespace Mocker.Cli;

/// <summary>`mocker login` and `mocker logout`, stored as Docker stores them.</summary>
internal static class LoginCommands
{
    private static readonly Argument<string> RegistryArgument = new("REGISTRY") { Description = "registry host[:port] (docker.io for Docker Hub)" };

    public static Command Login()
    {
        var user = new Option<string>("--username", "-u") { Description = "user name", Required = true };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "read the password from stdin" };
        var command = new Command("login", "log in to a registry") { RegistryArgument, user, passwordStdin };
        command.SetAction(r =>
        {
            if (!r.GetValue(passwordStdin))
                throw new ArgumentException("give the password on stdin with --password-stdin, so it stays out of the shell history");
            var password = Console.In.ReadToEnd().TrimEnd('\n', '\r');
            var registry = r.GetValue(RegistryArgument)!;
            var credentials = Credentials.Default();
            var previous = credentials.Find(registry);
            credentials.Save(registry, r.GetValue(user)!, password);
            try
            {
                using var client = MockerOptions.Registry(r);
                client.Ping(new ImageReference(registry, "x", null, null), Interruption.Token);
            }
            catch (RegistryException)
            {
                if (previous is { } p) credentials.Save(registry, p.User, p.Password);
                else credentials.Remove(registry);
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
            var registry = r.GetValue(RegistryArgument)!;
            Console.Out.WriteLine(Credentials.Default().Remove(registry) ? $"Removing login credentials for {registry}" : $"Not logged in to {registry}");
            return 0;
        });
        return command;
    }
}
