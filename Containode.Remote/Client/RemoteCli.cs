using Containode.Cli;
using Containode.Remote.Api;
using Grpc.Core;

namespace Containode.Remote.Client;

/// <summary>
/// containode's verbs against a remote node, as podman --remote has them: run (-d, or in the foreground: the
/// output as it comes, then the job's status), ps, logs [-f], inspect, stop, kill, rm, stats. The connection's
/// options may come before the verb or among its options.
/// </summary>
public static class RemoteCli
{
    public static readonly string[] VerbNames = ["run", "ps", "logs", "inspect", "stop", "kill", "rm", "stats"];

    public static async Task<int> Run(string[] args)
    {
        // The connection's options before the verb, then the verb's own.
        var first = 0;
        while (first < args.Length && ConnectionOption(args[first]) is not null) first += args[first].Contains('=') ? 1 : 2;
        if (first >= args.Length || !VerbNames.Contains(args[first]))
            throw new UsageException("against a remote node, the verbs are " + string.Join(", ", VerbNames));
        var verb = args[first];
        var options = RemoteVerbs.OptionsOf(verb);
        var parsed = ArgParser.Parse([.. args[..first], .. args[(first + 1)..]], 0, [.. RemoteConnection.Options, .. options, SpecForms.Help], verb == "run");
        if (parsed.Has(SpecForms.Help))
        {
            Console.Out.Write(RemoteVerbs.Help(verb, options));
            return 0;
        }
        using var channel = RemoteConnection.From(parsed).Open();
        var client = new Jobs.JobsClient(channel);
        try
        {
            return await RemoteVerbs.Run(verb, parsed, client);
        }
        catch (RpcException e)
        {
            Console.Error.WriteLine("containode: " + (e.Status.Detail.Length > 0 ? e.Status.Detail : e.StatusCode.ToString()));
            return e.StatusCode == StatusCode.InvalidArgument ? 2 : 1;
        }
    }

    private static CliOption? ConnectionOption(string word) =>
        Array.Find(RemoteConnection.Options, o => o.Matches(word.Split('=')[0]) || (o.Short is { } letter && word == "-" + letter));
}
