using System.Runtime.InteropServices;

namespace Elbe.DataPlane.Listeners.Tls;

/// <summary>
/// ALB's older security policies, the default ELBSecurityPolicy-2016-08 among them, accept TLS 1.0 and 1.1.
/// OpenSSL 3 refuses those versions at any security level above 0 (their handshake signatures use SHA-1), and
/// .NET offers no per-connection way to lower it. So the process points OpenSSL at a configuration that sets
/// level 0, before OpenSSL first loads; what a listener actually accepts is still its policy's protocols and
/// ciphers, set per handshake. A user who sets OPENSSL_CONF themselves keeps their own configuration.
/// </summary>
public static class LegacyTlsProtocols
{
    private const string Variable = "OPENSSL_CONF";
    private const string Configuration = """
        openssl_conf = elbe_conf
        [elbe_conf]
        ssl_conf = elbe_ssl
        [elbe_ssl]
        system_default = elbe_system_default
        [elbe_system_default]
        CipherString = DEFAULT:@SECLEVEL=0

        """;

    /// <summary>Call first thing in the process, before anything uses TLS or cryptography. False when it did nothing.</summary>
    public static bool Enable()
    {
        if (!OperatingSystem.IsLinux() || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))) return false;
        var path = Path.Combine(Path.GetTempPath(), "elbe-openssl-seclevel0.cnf");
        try
        {
            // Written beside and renamed, so a process starting at the same moment never reads half a file.
            var staging = path + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            File.WriteAllText(staging, Configuration);
            File.Move(staging, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without the file only TLS 1.0/1.1 handshakes fail; everything else works.
            return false;
        }
        // OpenSSL reads the native environment; Environment.SetEnvironmentVariable only changes .NET's copy.
        if (SetEnvironment(Variable, path, 1) != 0) return false;
        Environment.SetEnvironmentVariable(Variable, path);
        // If OpenSSL is already initialised (a host that used cryptography before calling this), load the file
        // into it now: TLS contexts created from here on take its system default.
        try
        {
            LoadConfiguration(path, null, IgnoreErrors);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not OpenSSL 3: older versions allow TLS 1.0/1.1 at their default level anyway.
        }
        return true;
    }

    private const ulong IgnoreErrors = 0x1; // CONF_MFLAGS_IGNORE_ERRORS

    // DllImport rather than LibraryImport: the generated stub would need unsafe code for one call at startup.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnvironment([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libcrypto.so.3", EntryPoint = "CONF_modules_load_file")]
    private static extern int LoadConfiguration([MarshalAs(UnmanagedType.LPUTF8Str)] string file, [MarshalAs(UnmanagedType.LPUTF8Str)] string? appName, ulong flags);
#pragma warning restore SYSLIB1054
}
