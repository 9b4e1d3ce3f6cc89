using System.CommandLine;
using Containet.Native;
using Containode;

var (options, command) = CommandLine.Split(args);
var root = CommandLine.Build();
var parsed = root.Parse(options);
if (parsed.Errors.Count > 0 || CommandLine.Unknown(parsed).Length > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine("containode: " + error.Message);
    foreach (var unknown in CommandLine.Unknown(parsed)) Console.Error.WriteLine("containode: unknown option " + unknown);
    Console.Error.WriteLine("Try 'containode --help'.");
    return 2;
}
if (options.Any(o => o is "--help" or "-h" or "-?" or "--version"))
    return parsed.Invoke();
if (command.Length == 0)
{
    Console.Error.WriteLine("containode: no command given. Try 'containode --help'.");
    return 2;
}
try
{
    return Launcher.Run(CommandLine.Bind(parsed, command));
}
catch (UsageException e)
{
    Console.Error.WriteLine("containode: " + e.Message);
    return 2;
}
catch (Exception e) when (e is LaunchException or NativeException or IOException or UnauthorizedAccessException or SwitchException)
{
    Console.Error.WriteLine("containode: " + e.Message);
    return 1;
}
