using Mocker.Registry;
using Mocker.Store;

namespace Mocker;

/// <summary>What a pull reports as it goes; a terminal gets bars, a pipe gets lines.</summary>
public interface IPullProgress
{
    void Start(IReadOnlyList<Descriptor> layers);
    void Downloaded(int layer, long bytes);
    void Stored(int layer, bool fetched);
    void Applied(int layer);
    void Done(ImageRecord record);
    void Warn(string message);
}
