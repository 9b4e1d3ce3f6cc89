using Mocker.Registry;
using Mocker.Store;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Mocker;

/// <summary>
/// One row per layer, redrawn in place as `docker pull` draws it, by Spectre.Console's live progress display
/// (which keeps the rows where they are, and reads the terminal's width at every redraw); each row is fitted to
/// that width by <see cref="LayerLine"/>. Downloads report from several threads; Spectre redraws ten times a second.
/// </summary>
public sealed class BarProgress(IAnsiConsole console, TimeProvider? time = null) : IPullProgress
{
    // The speed shown is of the last two seconds, not since the layer started.
    private static readonly TimeSpan SpeedWindow = TimeSpan.FromSeconds(2);

    private ProgressContext? context;
    private ProgressTask[] rows = [];

    /// <summary>
    /// The console to draw on when stdout and stderr are a terminal, as docker pull draws bars, and the terminal
    /// takes ANSI escapes (not TERM=dumb); null otherwise, for plain lines.
    /// </summary>
    public static IAnsiConsole? Terminal()
    {
        if (Console.IsOutputRedirected || Console.IsErrorRedirected) return null;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Interactive = InteractionSupport.Yes,
        });
        return console.Profile.Capabilities.Ansi ? console : null;
    }

    /// <summary>Runs <paramref name="pull"/>, which reports here, with the display on screen.</summary>
    public T Show<T>(Func<T> pull) =>
        new Spectre.Console.Progress(console, time ?? TimeProvider.System) { AutoClear = false, ExcludeVerticalPadding = true }
            .Columns(new LayerColumn())
            .Start(c =>
            {
                context = c;
                return pull();
            });

    public void Start(IReadOnlyList<Descriptor> layers)
    {
        var c = context ?? throw new InvalidOperationException("BarProgress.Start outside Show");
        rows = layers.Select(l =>
        {
            var task = c.AddTask(LineProgress.Short(l.Digest), autoStart: true, maxValue: Math.Max(1, l.Size));
            task.MaxSamplingAge = SpeedWindow;
            task.Tag = new Layer();
            return task;
        }).ToArray();
    }

    public void Downloaded(int layer, long bytes)
    {
        Of(layer).State = LayerState.Downloading;
        rows[layer].Increment(bytes);
    }

    public void Stored(int layer, bool fetched) => Of(layer).State = fetched ? LayerState.DownloadComplete : LayerState.AlreadyExists;

    public void Applied(int layer)
    {
        var row = Of(layer);
        if (row.State != LayerState.AlreadyExists) row.State = LayerState.PullComplete;
    }

    public void Done(ImageRecord record) => context?.Refresh();

    // Written through the live display, which prints it above the rows.
    public void Warn(string message) => console.WriteLine("mocker: warning: " + message);

    private Layer Of(int layer) => (Layer)rows[layer].Tag!;

    private sealed class Layer
    {
        public volatile LayerState State;
    }

    private sealed class LayerColumn : ProgressColumn
    {
        protected override bool NoWrap => true;

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            var state = ((Layer)task.Tag!).State;
            var line = LayerLine.Format(task.Description, state, (long)task.Value, (long)task.MaxValue, task.Speed, options.ConsoleSize.Width);
            return new Text(line) { Overflow = Overflow.Crop };
        }
    }
}
