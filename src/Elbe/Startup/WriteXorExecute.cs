using System.Runtime.InteropServices;
using System.Text;

namespace Elbe.Startup;

/// <summary>
/// Starts <c>elbe</c> again, in place, with the runtime's W^X protection of JIT-compiled code off, unless the user
/// chose a setting. With W^X every write to code memory (tiering up, patching call sites and stubs) goes through a
/// second, writable mapping, and the runtime keeps doing such writes long after start-up: measured with the
/// benchmark harness, turning it off took CPU per new connection from 59.8 to 47.3 us, and HTTP/2 reached full
/// speed within seconds of start instead of much later (bench/RESULTS.md). The runtime reads the switch only from the environment, before any
/// managed code runs (a runtimeconfig.json property is ignored), so the only way to set it for the user is
/// execve(2) of the same command line with the variable added: same process id, same open descriptors, nothing
/// else started yet. <c>DOTNET_EnableWriteXorExecute=1</c> keeps the protection on.
/// </summary>
public static class WriteXorExecute
{
    private const string Variable = "DOTNET_EnableWriteXorExecute";

    /// <summary>
    /// Replaces the process when the switch is unset (returning only if that is impossible); returns at once when
    /// the user set it, on other systems than Linux, or when this is already the restarted process.
    /// </summary>
    public static void TurnOffByRestarting()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Variable) is not null) return;
        string[] argv, environment;
        try
        {
            // The command line and environment exactly as the kernel started them: for `dotnet elbe.dll ...` the
            // host, the dll and the arguments, which the managed `args` would not all show.
            argv = SplitNulTerminated(File.ReadAllBytes("/proc/self/cmdline"));
            environment = [.. SplitNulTerminated(File.ReadAllBytes("/proc/self/environ")), Variable + "=0"];
        }
        catch (IOException)
        {
            return;
        }
        if (argv.Length == 0) return;
        // Null-terminated arrays, as execve wants them.
        Execve("/proc/self/exe", [.. argv, null], [.. environment, null]);
        // Only reached when execve failed (no /proc/self/exe, say): carry on with the protection on.
        Console.Error.WriteLine($"elbe: could not restart with {Variable}=0 (errno {Marshal.GetLastPInvokeError()}); running with W^X on");
    }

    private static string[] SplitNulTerminated(byte[] bytes)
    {
        // Each entry ends in a NUL; an empty argument is a legitimate entry, so only the split after the last goes.
        var parts = Encoding.UTF8.GetString(bytes).Split('\0');
        return parts[^1].Length == 0 ? parts[..^1] : parts;
    }

    // LPStr is UTF-8 on Unix (arrays of strings accept no LPUTF8Str).
    [DllImport("libc", EntryPoint = "execve", SetLastError = true)]
    private static extern int Execve(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string path,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] argv,
        [MarshalAs(UnmanagedType.LPArray, ArraySubType = UnmanagedType.LPStr)] string?[] envp);
}
