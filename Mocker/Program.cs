using System.CommandLine;
using Mocker.Cli;
using Mocker.Extraction;
using Mocker.Registry;

Warmup.Start();
// Every command's options cost start-up time to build, and a pull is short: a command line that names a
// command is first parsed against a tree holding only that one; the whole tree is built only when that parse
// fails or nothing was named, so help and errors still list everything.
string[] commands = ["pull", "rootfs", "images", "rm", "prune", "login", "logout"];
var parsed = Tree(Array.Find(args, a => Array.IndexOf(commands, a) >= 0)).Parse(args);
if (parsed.Errors.Count > 0) parsed = Tree(null).Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine("mocker: " + error.Message);
    Console.Error.WriteLine("Try 'mocker --help'.");
    return 2;
}
try
{
    return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is FormatException or ArgumentException)
{
    Console.Error.WriteLine("mocker: " + e.Message);
    return 2;
}
catch (Exception e) when (e is RegistryException or LayerException or InvalidOperationException or IOException or UnauthorizedAccessException or Containet.Native.NativeException)
{
    Console.Error.WriteLine("mocker: " + e.Message);
    return 1;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("mocker: interrupted; completed blobs are kept for the next pull");
    return 130;
}

RootCommand Tree(string? only)
{
    var root = new RootCommand("mocker: pull images from Docker Registry v2 registries into root filesystems for containode -r.")
    {
        MockerOptions.Store, MockerOptions.Insecure, MockerOptions.Mirror,
    };
    foreach (var name in commands)
        if (only is null || name == only) root.Subcommands.Add(Command(name));
    return root;
}

static Command Command(string name) => name switch
{
    "pull" => PullCommands.Pull(),
    "rootfs" => PullCommands.Rootfs(),
    "images" => StoreCommands.Images(),
    "rm" => StoreCommands.Remove(),
    "prune" => StoreCommands.Prune(),
    "login" => LoginCommands.Login(),
    _ => LoginCommands.Logout(),
};
