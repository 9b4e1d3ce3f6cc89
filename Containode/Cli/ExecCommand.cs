namespace Containode.Cli;

/// <summary>exec [options] NAME COMMAND [ARGS...]: a command inside a running container; its status comes back.</summary>
public static class ExecCommand
{
    private static readonly CliOption Tty = new("--tty", 't', null, "give the command a terminal (a new one of the container's /dev/pts)");
    private static readonly CliOption Interactive = new("--interactive", 'i', null, "keep stdin open (without it the command's stdin is /dev/null)");
    private static readonly CliOption Env = new("--env", 'e', "KEY=VALUE", "set KEY=VALUE in the command's environment");
    private static readonly CliOption Workdir = new("--workdir", 'w', "DIR", "working directory inside the container (default: the container's)");
    private static readonly CliOption User = new("--user", 'u', "UID[:GID]", "run as this user (default: the container's)");

    public static readonly CliOption[] Options = [Tty, Interactive, Env, Workdir, User, SpecForms.Help];

    public static int Run(ArgParser.Result parsed)
    {
        if (parsed.Operands.Count < 2) throw new UsageException("exec takes a container and a command");
        var record = Containers.Store.Resolve(parsed.Operands[0]);
        var pids = record.RunningPids() is { } p && p.Monitor.IsAlive ? p.Container : throw new LaunchException($"container {record.Name} is not running");
        var env = parsed.Options.Where(o => o.Option == Env).Select(o => o.Value).ToList();
        if (parsed.Value(User) is { } user) UserSpec.Check(user);
        if (!parsed.Has(Interactive) && !parsed.Has(Tty)) StandardStreams.CloseInput();
        return ExecLaunch.Run(record, pids, new ExecLaunch.Request(parsed.Operands[1..], env, parsed.Value(Workdir), parsed.Value(User), parsed.Has(Tty), parsed.Has(Interactive)));
    }
}
