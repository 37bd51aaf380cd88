using System.Globalization;
using System.Net.Security;
using System.Runtime.InteropServices;
using Elbe.Model.Security;

namespace Elbe.DataPlane.Listeners.Tls;

/// <summary>
/// The process's OpenSSL defaults, set first thing through an OPENSSL_CONF of Elbe's own, for two reasons.
/// <para>
/// TLS 1.0 and 1.1: ALB's older security policies, the default ELBSecurityPolicy-2016-08 among them, accept them.
/// OpenSSL 3 refuses those versions at any security level above 0 (their handshake signatures use SHA-1), and
/// .NET offers no per-connection way to lower it, so the configuration sets level 0.
/// </para>
/// <para>
/// Session resumption: .NET on Linux builds a new SSL_CTX for every handshake whose options name a
/// <see cref="CipherSuitesPolicy"/> (expensive in OpenSSL 3, and a context that lives for one connection resumes
/// no sessions); only options without one share a cached context per certificate and protocol set, which issues
/// session tickets and keeps a session cache. So the configuration makes OpenSSL's default cipher lists ALB's,
/// in ALB's order (.NET always sets server preference): a policy whose lists are exactly those
/// (<see cref="Matches"/>, the default policy among them) needs no CipherSuitesPolicy and gets the cached context.
/// </para>
/// A user who sets OPENSSL_CONF themselves keeps their own configuration, and every policy then names its ciphers.
/// </summary>
public static class ProcessTlsDefaults
{
    private const string Variable = "OPENSSL_CONF";

    /// <summary>Every cipher of the default policy (TLS 1.0-1.2), and TLS 1.3's suites, in ALB's order.</summary>
    private static readonly SslPolicy Ciphers = SslPolicies.Find(SslPolicies.Tls13BackendPolicyName)!;

    private static readonly TlsCipherSuite[] Tls12Ciphers = [.. Ciphers.Ciphers.Where(c => !IsTls13(c.Suite)).Select(c => c.Suite)];
    private static readonly TlsCipherSuite[] Tls13Ciphers = [.. Ciphers.Ciphers.Where(c => IsTls13(c.Suite)).Select(c => c.Suite)];

    /// <summary>True once this process's OpenSSL takes its defaults from Elbe's configuration.</summary>
    public static bool InForce { get; private set; }

    /// <summary>Call first thing in the process, before anything uses TLS or cryptography. False when it did nothing.</summary>
    public static bool Enable()
    {
        if (!OperatingSystem.IsLinux() || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))) return false;
        // One file per content, so processes of different builds never read each other's.
        var configuration = Configuration();
        var path = Path.Combine(Path.GetTempPath(), "elbe-openssl-" + ContentHash(configuration) + ".cnf");
        try
        {
            // Written beside and renamed, so a process starting at the same moment never reads half a file.
            var staging = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            File.WriteAllText(staging, configuration);
            File.Move(staging, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without the file TLS 1.0/1.1 handshakes fail and every policy names its ciphers; everything else works.
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
            // Not OpenSSL 3: older versions allow TLS 1.0/1.1 at their default level anyway, but the cipher lists
            // cannot be relied on.
            return true;
        }
        InForce = true;
        return true;
    }

    /// <summary>Whether OpenSSL's defaults are exactly <paramref name="policy"/>'s ciphers for the versions it allows.</summary>
    public static bool Matches(SslPolicy policy)
    {
        if (!InForce) return false;
        var allowsTls13 = policy.Supports(SslPolicy.Tls13);
        var allowsOlder = policy.Protocols.Any(p => p != SslPolicy.Tls13);
        return (!allowsTls13 || MatchesTls13(policy))
            && (!allowsOlder || policy.Ciphers.Where(c => !IsTls13(c.Suite)).Select(c => c.Suite).SequenceEqual(Tls12Ciphers));
    }

    /// <summary>Whether <paramref name="policy"/> allows TLS 1.3 with exactly OpenSSL's default TLS 1.3 suites (every ALB TLS 1.3 policy does).</summary>
    public static bool MatchesTls13(SslPolicy policy) =>
        InForce && policy.Supports(SslPolicy.Tls13)
        && policy.Ciphers.Where(c => IsTls13(c.Suite)).Select(c => c.Suite).SequenceEqual(Tls13Ciphers);

    private static bool IsTls13(TlsCipherSuite suite) => (int)suite is >= 0x1301 and <= 0x1305;

    private static string Configuration()
    {
        // Policy cipher names are OpenSSL's.
        var tls12 = string.Join(':', Ciphers.Ciphers.Where(c => !IsTls13(c.Suite)).Select(c => c.Name));
        var tls13 = string.Join(':', Ciphers.Ciphers.Where(c => IsTls13(c.Suite)).Select(c => c.Name));
        return $"""
            openssl_conf = elbe_conf
            [elbe_conf]
            ssl_conf = elbe_ssl
            [elbe_ssl]
            system_default = elbe_system_default
            [elbe_system_default]
            CipherString = {tls12}:@SECLEVEL=0
            Ciphersuites = {tls13}

            """;
    }

    /// <summary>FNV-1a: the cryptographic hashes would load OpenSSL before its configuration is in place.</summary>
    private static string ContentHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text) hash = (hash ^ c) * 1099511628211UL;
        return hash.ToString("x16", CultureInfo.InvariantCulture);
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
