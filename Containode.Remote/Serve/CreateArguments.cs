using System.Globalization;
using Containode.Remote.Api;
using Grpc.Core;

namespace Containode.Remote.Serve;

/// <summary>
/// A create request checked and turned into `containode run -d` options and operands. A client chooses the command, its
/// limits, environment and working directory, and by name a root or network the node offers; everything else
/// (capabilities, seccomp, devices, namespaces) stays at containode's secure defaults. Each field has a limit.
/// </summary>
public static class CreateArguments
{
    public const int MaxArguments = 256, MaxArgumentLength = 4096, MaxEnvironment = 128, MaxDevices = 16;
    public const long MaxMemoryMib = 1L << 30, MaxMillicores = 1_000_000, MaxRate = 1L << 20;

    public static List<string> From(CreateRequest request, ServeOptions node)
    {
        if (request.Command.Count == 0 || request.Command[0].Length == 0) throw Invalid("the command is empty");
        if (request.Command.Count > MaxArguments) throw Invalid($"the command has more than {MaxArguments} arguments");
        foreach (var a in request.Command) Text(a, "an argument");
        var args = new List<string>();

        if (request.MemoryMib < 0 || request.MemoryMib > MaxMemoryMib) throw Invalid($"memory_mib {request.MemoryMib}: 0 (no limit) to {MaxMemoryMib}");
        if (request.MemoryMib > 0) args.AddRange(["--memory", request.MemoryMib.ToString(CultureInfo.InvariantCulture) + "m"]);
        if (request.CpuMillicores < 0 || request.CpuMillicores > MaxMillicores) throw Invalid($"cpu_millicores {request.CpuMillicores}: 0 (no limit) to {MaxMillicores}");
        if (request.CpuMillicores > 0) args.AddRange(["--cpus", (request.CpuMillicores / 1000m).ToString("0.000", CultureInfo.InvariantCulture)]);
        Rates(args, "--device-read-bps", request.DeviceRead);
        Rates(args, "--device-write-bps", request.DeviceWrite);

        if (request.Env.Count > MaxEnvironment) throw Invalid($"more than {MaxEnvironment} environment variables");
        foreach (var e in request.Env)
        {
            if (Text(e, "an environment variable").IndexOf('=') <= 0) throw Invalid($"environment variable {e}: KEY=VALUE");
            args.AddRange(["-e", e]);
        }
        if (request.Workdir.Length > 0)
        {
            if (!Text(request.Workdir, "the working directory").StartsWith('/')) throw Invalid("the working directory must be absolute");
            args.AddRange(["-w", request.Workdir]);
        }
        if (request.Network.Length > 0)
            args.AddRange(["-s", node.Networks.GetValueOrDefault(request.Network) ?? throw Invalid($"no network named {request.Network} on this node")]);

        if (request.Image.Length > 0 && request.Root.Length > 0) throw Invalid("give an image or a root, not both");
        if (request.Root.Length > 0)
        {
            args.AddRange(["-r", node.Roots.GetValueOrDefault(request.Root) ?? throw Invalid($"no root named {request.Root} on this node"), "--"]);
        }
        else if (request.Image.Length > 0)
        {
            if (request.Image.Length > 256 || request.Image[0] == '-' || !request.Image.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '/' or ':' or '_' or '@' or '-'))
                throw Invalid($"{request.Image} is not an image reference");
            args.AddRange(["--", request.Image]);
        }
        else throw Invalid("give an image, or a root the node offers: " + (node.Roots.Count == 0 ? "it offers none" : string.Join(' ', node.Roots.Keys)));
        args.AddRange(request.Command);
        return args;
    }

    private static void Rates(List<string> args, string option, IEnumerable<DeviceRate> rates)
    {
        var count = 0;
        foreach (var rate in rates)
        {
            if (++count > MaxDevices) throw Invalid($"more than {MaxDevices} devices");
            var device = Text(rate.Device, "a device");
            if (!device.StartsWith("/dev/", StringComparison.Ordinal) || device.Contains("..") || device.Contains(':'))
                throw Invalid($"{device}: a block device of the node, /dev/NAME");
            if (rate.MbPerSecond <= 0 || rate.MbPerSecond > MaxRate) throw Invalid($"{device}: {rate.MbPerSecond} MB/s: 1 to {MaxRate}");
            args.AddRange([option, device + ":" + rate.MbPerSecond.ToString(CultureInfo.InvariantCulture) + "mb"]);
        }
    }

    private static string Text(string value, string what)
    {
        if (value.Length > MaxArgumentLength) throw Invalid($"{what} is longer than {MaxArgumentLength} characters");
        if (value.Contains('\0') || value.Contains('\n')) throw Invalid($"{what} holds a NUL or a newline");
        return value;
    }

    public static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
