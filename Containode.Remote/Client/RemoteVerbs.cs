using System.Globalization;
using ByteSize = Mocker.ByteSize;
using Containode.Cli;
using Containode.Remote.Api;
using Google.Protobuf;
using Grpc.Core;

namespace Containode.Remote.Client;

/// <summary>What each remote verb takes and does.</summary>
public static class RemoteVerbs
{
    private static readonly CliOption Detach = new("--detach", 'd', null, "print the job's ID and return once it runs");
    private static readonly CliOption AutoRemove = new("--rm", null, null, "remove the job when it has ended (foreground run)");
    private static readonly CliOption Name = new("--name", null, "NAME", "your name for the job");
    private static readonly CliOption Memory = new("--memory", 'm', "BYTES", "memory limit (whole MiB: 512m, 1g)");
    private static readonly CliOption Cpus = new("--cpus", null, "N.NNN", "CPUs (in thousandths)");
    private static readonly CliOption ReadBps = new("--device-read-bps", null, "DEV:RATE", "read limit on a node's block device (MiB/s: 8mb)");
    private static readonly CliOption WriteBps = new("--device-write-bps", null, "DEV:RATE", "write limit on a node's block device (MiB/s: 8mb)");
    private static readonly CliOption Env = new("--env", 'e', "KEY=VALUE", "an environment variable");
    private static readonly CliOption Workdir = new("--workdir", 'w', "DIR", "the working directory");
    private static readonly CliOption Root = new("--root", 'r', "NAME", "a root the node offers (serve --root), instead of an image");
    private static readonly CliOption Network = new("--network", 's', "NAME", "a switch the node offers (serve --network)");
    private static readonly CliOption All = new("--all", 'a', null, "the exited jobs too");
    private static readonly CliOption Quiet = new("--quiet", 'q', null, "only IDs");
    private static readonly CliOption Follow = new("--follow", 'f', null, "until the job ends");
    private static readonly CliOption Time = new("--time", 't', "SECONDS", "wait before SIGKILL (10)");
    private static readonly CliOption Signal = new("--signal", 's', "SIGNAL", "the signal (KILL)");
    private static readonly CliOption Force = new("--force", 'f', null, "stop it first if it runs");
    private static readonly CliOption NoStream = new("--no-stream", null, null, "one reading (always, remotely)");

    public static CliOption[] OptionsOf(string verb) => verb switch
    {
        "run" => [Detach, AutoRemove, Name, Memory, Cpus, ReadBps, WriteBps, Env, Workdir, Root, Network],
        "ps" => [All, Quiet],
        "logs" => [Follow],
        "stop" => [Time],
        "kill" => [Signal],
        "rm" => [Force],
        "stats" => [NoStream],
        _ => [],
    };

    public static string Help(string verb, CliOption[] options) =>
        HelpText.Render($"containode --host ADDR:PORT {verb} ...", $"{verb} on a remote node's containode serve, over mutual TLS.", [.. RemoteConnection.Options, .. options], null);

    public static async Task<int> Run(string verb, ArgParser.Result parsed, Jobs.JobsClient client)
    {
        switch (verb)
        {
            case "run": return await RemoteRun.Run(Request(parsed), parsed.Has(Detach), parsed.Has(AutoRemove), client);
            case "ps":
                var list = await client.ListAsync(new ListRequest { All = parsed.Has(All) });
                Console.Out.WriteLine(parsed.Has(Quiet) ? string.Join('\n', list.Jobs.Select(j => j.Id[..12]))
                    : Table.Render(["JOB ID", "NAME", "OWNER", "STATUS", "COMMAND"], list.Jobs.Select(j => new[] { j.Id[..12], j.Name, j.Owner, Describe(j), string.Join(' ', j.Command) })));
                return 0;
            case "logs":
                return await RemoteRun.Copy(client.Output(new OutputRequest { Id = One(parsed), Follow = parsed.Has(Follow) }));
            case "inspect":
                return await Each(parsed, async id => Console.Out.WriteLine(JsonFormatter.Default.Format(await client.StatusAsync(new JobRef { Id = id }))));
            case "stop":
                var seconds = parsed.Value(Time) is { } t ? int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : throw new UsageException($"-t {t}: seconds") : 0;
                return await Each(parsed, async id => Console.Out.WriteLine((await client.StopAsync(new StopRequest { Id = id, TimeoutSeconds = seconds })).Id));
            case "kill":
                return await Each(parsed, async id => Console.Out.WriteLine((await client.KillAsync(new KillRequest { Id = id, Signal = parsed.Value(Signal) ?? "" })).Id));
            case "rm":
                return await Each(parsed, async id => Console.Out.WriteLine((await client.RemoveAsync(new RemoveRequest { Id = id, Force = parsed.Has(Force) })).Id));
            default:
                var ids = parsed.Operands.Count > 0 ? parsed.Operands : [.. (await client.ListAsync(new ListRequest())).Jobs.Select(j => j.Id)];
                var rows = new List<string[]>();
                foreach (var id in ids)
                {
                    var u = await client.StatsAsync(new JobRef { Id = id });
                    rows.Add([u.Id[..12], (u.CpuNanoseconds / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + "s",
                        ByteSize.Format(u.MemoryBytes) + " / " + ByteSize.Format(u.MemoryLimitBytes), u.Pids.ToString(CultureInfo.InvariantCulture),
                        ByteSize.Format(u.BlockReadBytes) + " / " + ByteSize.Format(u.BlockWriteBytes)]);
                }
                Console.Out.WriteLine(Table.Render(["JOB ID", "CPU TIME", "MEM USAGE / LIMIT", "PIDS", "BLOCK I/O"], rows));
                return 0;
        }
    }

    /// <summary>The job's state as ps says it: "running", "exited (0)", "stopped (signal 15)", "exited (137, OOM killed)".</summary>
    public static string Describe(JobStatus job) => job.State switch
    {
        JobStatus.Types.State.Running => "running",
        JobStatus.Types.State.Created => "created",
        var state => state.ToString().ToLowerInvariant() + (job.HasExitCode ? $" ({job.ExitCode}{(job.Signal > 0 ? ", signal " + job.Signal : "")}{(job.OomKilled ? ", OOM killed" : "")})" : " (unknown)"),
    };

    private static CreateRequest Request(ArgParser.Result parsed)
    {
        var request = new CreateRequest { Name = parsed.Value(Name) ?? "", Workdir = parsed.Value(Workdir) ?? "", Root = parsed.Value(Root) ?? "", Network = parsed.Value(Network) ?? "" };
        var operands = parsed.Operands;
        if (request.Root.Length == 0)
        {
            if (operands.Count == 0) throw new UsageException("give an image, or a root with -r");
            request.Image = operands[0];
            operands = operands[1..];
        }
        request.Command.AddRange(operands);
        if (parsed.Value(Memory) is { } m) request.MemoryMib = (ByteSize.Parse(m) ?? throw new UsageException($"--memory {m}: a size")) >> 20;
        if (parsed.Value(Cpus) is { } c)
            request.CpuMillicores = decimal.TryParse(c, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cpus) && cpus > 0 ? (long)(cpus * 1000) : throw new UsageException($"--cpus {c}: a number of CPUs");
        request.DeviceRead.AddRange(Rates(parsed, ReadBps));
        request.DeviceWrite.AddRange(Rates(parsed, WriteBps));
        request.Env.AddRange(parsed.Options.Where(o => o.Option == Env).Select(o => o.Value));
        return request;
    }

    private static IEnumerable<DeviceRate> Rates(ArgParser.Result parsed, CliOption option) =>
        parsed.Options.Where(o => o.Option == option).Select(o =>
        {
            var colon = o.Value.LastIndexOf(':');
            var bytes = colon > 0 ? ByteSize.Parse(o.Value[(colon + 1)..]) : null;
            return bytes is >= 1 << 20 ? new DeviceRate { Device = o.Value[..colon], MbPerSecond = bytes.Value >> 20 } : throw new UsageException($"{option.Long} {o.Value}: DEVICE:RATE, at least 1mb");
        });

    private static string One(ArgParser.Result parsed) =>
        parsed.Operands.Count == 1 ? parsed.Operands[0] : throw new UsageException("name one job");

    private static async Task<int> Each(ArgParser.Result parsed, Func<string, Task> action)
    {
        if (parsed.Operands.Count == 0) throw new UsageException("name a job");
        var failed = 0;
        foreach (var id in parsed.Operands)
        {
            try { await action(id); }
            catch (RpcException e)
            {
                Console.Error.WriteLine($"containode: {id}: {e.Status.Detail}");
                failed++;
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
