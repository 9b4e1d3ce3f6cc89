using Microsoft.Extensions.Logging;

namespace Containet;

/// <summary>
/// Writes one of the files a restarted switch reads back (kept ports, leases). A failure is logged and the switch
/// goes on: the frames it switches now matter more than what a next switch could restore.
/// </summary>
internal static class SavedFile
{
    /// <param name="what">the file's kind as the log names it: "state", "lease"</param>
    public static void TryWrite(ILogger logger, string what, string path, Action write)
    {
        try
        {
            write();
        }
        catch (IOException e)
        {
            ContainetLog.FileUnwritable(logger, what, path, e.Message);
        }
    }
}
