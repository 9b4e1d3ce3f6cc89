using Mocker.References;
using Mocker.Registry;

namespace Mocker.Cli;

/// <summary>`mocker login` and `mocker logout`, stored as Docker stores them.</summary>
internal static class LoginCommands
{
    private static readonly string[] RegistryArgument = ["REGISTRY", "registry host[:port] (docker.io for Docker Hub)"];
    private static readonly OptionSpec User = new("--username", "-u", "USER", "user name (required)");
    private static readonly OptionSpec PasswordStdin = new("--password-stdin", null, null, "read the password from stdin");

    public static CommandSpec Login() => new("login", "log in to a registry", [RegistryArgument], [User, PasswordStdin], r =>
        {
            var user = r.Value(User.Name) ?? throw new UsageException("login needs --username USER");
            if (!r.Has(PasswordStdin.Name))
                throw new UsageException("give the password on stdin with --password-stdin, so it stays out of the shell history");
            var password = Console.In.ReadToEnd().TrimEnd('\n', '\r');
            var registry = r.Arguments[0];
            var credentials = Credentials.Default();
            var previous = credentials.Find(registry);
            credentials.Save(registry, user, password);
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

    public static CommandSpec Logout() => new("logout", "forget the login for a registry", [RegistryArgument], [], r =>
        {
            var registry = r.Arguments[0];
            Console.Out.WriteLine(Credentials.Default().Remove(registry) ? $"Removing login credentials for {registry}" : $"Not logged in to {registry}");
            return 0;
        });
}
