using System.Diagnostics;

namespace Containet.Network;

/// <summary>Runs `nft -f -` with a script: the one place the switch changes the firewall.</summary>
public static class Nft
{
    public static void Run(string script)
    {
        var psi = new ProcessStartInfo("nft", ["-f", "-"])
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run nft ({e.Message}): --nat needs nftables (apt-get install nftables)");
        }
        using (process)
        {
            process.StandardInput.Write(script);
            process.StandardInput.Close();
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill();
                throw new InvalidOperationException("nft did not finish in 30 seconds");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException("nft refused the switch's rules: " + errors.Result.Trim().ReplaceLineEndings(" "));
        }
    }
}
