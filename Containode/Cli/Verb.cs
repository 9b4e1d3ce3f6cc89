using Containet.Native;

namespace Containode.Cli;

/// <summary>
/// One verb of containode: its usage line, what it does, its options, and its handler. A verb that runs a command
/// (<see cref="StopsAtOperand"/>) ends its options at its first operand; the others take options anywhere.
/// </summary>
public sealed record Verb(string Name, string Usage, string Summary, CliOption[] Options, Func<ArgParser.Result, int> Handler, bool StopsAtOperand = false)
{
    public int Invoke(string[] args)
    {
        var parsed = ArgParser.Parse(args, 1, Options, StopsAtOperand);
        if (parsed.Options.Exists(o => o.Option == SpecForms.Help))
        {
            Posix.WriteOutput(HelpText.Render(this));
            return 0;
        }
        return Handler(parsed);
    }
}
