using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Elbe.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The real `elbe` command as a process of its own (`dotnet elbe.dll ...`), for what only a whole process shows:
/// its environment after a restart in place, its memory maps, its descriptor table and CPU time. What it prints is
/// kept; with a descriptor limit it runs under `ulimit -n` (bash execs it, so the process object is elbe itself).
/// </summary>
public sealed class ElbeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ElbeProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static ElbeProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, int? descriptorLimit = null)
    {
        var elbe = new[] { "dotnet", Path.Combine(AppContext.BaseDirectory, "elbe.dll") }.Concat(arguments);
        var start = new ProcessStartInfo(descriptorLimit is null ? "dotnet" : "bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (descriptorLimit is { } limit)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"ulimit -n {limit.ToString(CultureInfo.InvariantCulture)} && exec \"$@\"");
            start.ArgumentList.Add("elbe");
        }
        else
        {
            elbe = elbe.Skip(1);
        }
        foreach (var argument in elbe) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        return new ElbeProcess(Process.Start(start)!);
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything it printed so far, standard output and error interleaved by line.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    // Read by the process id we started: a restart that forked instead of exec'ing would show the old process here.
    public string Environment() => File.ReadAllText($"/proc/{_process.Id}/environ").Replace('\0', '\n');
    public string Maps() => File.ReadAllText($"/proc/{_process.Id}/maps");

    public int OpenDescriptors()
    {
        AssertRunning();
        return Directory.GetFiles($"/proc/{_process.Id}/fd").Length;
    }

    /// <summary>
    /// What each of its epoll instances watches, as the inodes of the files watched (/proc/PID/fdinfo of each
    /// eventpoll descriptor): which event loop holds which socket.
    /// </summary>
    public IReadOnlyList<HashSet<long>> EpollWatchedInodes()
    {
        AssertRunning();
        var instances = new List<HashSet<long>>();
        foreach (var fd in Directory.GetFiles($"/proc/{_process.Id}/fd"))
        {
            string? target;
            string[] info;
            try
            {
                target = new FileInfo(fd).LinkTarget;
                if (target != "anon_inode:[eventpoll]") continue;
                info = File.ReadAllLines($"/proc/{_process.Id}/fdinfo/{Path.GetFileName(fd)}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // closed since the listing
            }
            // "tfd:       42 events:       19 data: ...  pos:0 ino:1a2b sdev:8": ino is the watched file's, in hex.
            var watched = new HashSet<long>();
            foreach (var line in info)
            {
                if (!line.StartsWith("tfd:", StringComparison.Ordinal)) continue;
                var ino = line.IndexOf(" ino:", StringComparison.Ordinal);
                if (ino < 0) continue;
                var hex = line[(ino + 5)..].Split(' ', 2)[0];
                watched.Add(long.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
            instances.Add(watched);
        }
        return instances;
    }

    /// <summary>User and system time so far, from /proc (clock ticks of 1/100 s).</summary>
    public double CpuSeconds()
    {
        AssertRunning();
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public void AssertRunning() => Assert.False(_process.HasExited, $"elbe exited:\n{Output}");

    /// <summary>SIGTERM, as a service manager stops it; the exit code once it is gone.</summary>
    public async Task<int> StopAsync()
    {
        Assert.Equal(0, Kill(_process.Id, 15));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
