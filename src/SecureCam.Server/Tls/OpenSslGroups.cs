using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace SecureCam.Server.Tls;

/// <summary>
/// Limits the key-exchange groups of the process's TLS to elliptic curves. OpenSSL 3 also offers the
/// finite-field groups ffdhe2048…8192 in TLS 1.3, where a client may pick an 8192-bit modular
/// exponentiation for the server to compute (a cheap denial of service on a Pi, "DHEater"). .NET has no
/// API for groups (CipherSuitesPolicy is suites only), and OpenSSL applies groups per context from its
/// configuration's <c>system_default</c> section, which every <c>SSL_CTX_new</c> reads. So this loads
/// that section from memory into the OpenSSL .NET uses: <c>Groups = X25519:P-256:P-384</c>. It replaces
/// the system's own <c>system_default</c> TLS section (if any) for this process only, and applies to
/// the process's TLS clients too (ACME), which every public server accepts.
/// <para>
/// Must run before any TLS context exists: OpenSSL reads that section unlocked on every new context
/// (<see cref="Hosting.SecureCamHost"/> calls it before anything starts). If it cannot be done in-process, the
/// same section in a file named by <c>OPENSSL_CONF</c> does it (<see cref="ConfigurationHint"/>).
/// </para>
/// </summary>
internal static unsafe class OpenSslGroups
{
    /// <summary>OpenSSL 3.5 adds the post-quantum hybrid X25519MLKEM768 to its defaults; it stays, first, where it exists.</summary>
    private const string Groups30 = "X25519:P-256:P-384";
    private const string Groups35 = "X25519MLKEM768:" + Groups30;

    private static readonly Lazy<Outcome> Result = new(Limit, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>What to do where the groups could not be limited in-process.</summary>
    public const string ConfigurationHint =
        "start the server with OPENSSL_CONF naming a file whose ssl_conf system_default section says Groups = " + Groups30 + " (docs/security.md)";

    /// <summary>Limits the groups once per process; later calls return the first outcome.</summary>
    public static Outcome EnsureLimited() => Result.Value;

    /// <param name="Limited">Every new TLS context of this process offers only <paramref name="Groups"/>.</param>
    /// <param name="Groups">The groups in force: OpenSSL names, most preferred first, or which defaults stay.</param>
    /// <param name="Problem">Why they could not be limited; null where nothing needed doing.</param>
    internal sealed record Outcome(bool Limited, string Groups, string? Problem);

    private static Outcome Limit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return new Outcome(false, "the platform's defaults", null);
        }

        // Reading the version makes .NET load and initialise its OpenSSL; the libraries below are that same copy.
        var version = SafeEvpPKeyHandle.OpenSslVersion;
        var major = (int)((version >> 28) & 0xF);
        var minor = (int)((version >> 20) & 0xFF);
        if (major < 3)
        {
            // Finite-field groups in TLS 1.3 came with OpenSSL 3.0.
            return new Outcome(false, $"OpenSSL {major}.{minor}'s defaults (elliptic curves only)", null);
        }

        var groups = major > 3 || minor >= 5 ? Groups35 : Groups30;
        if (!NativeLibrary.TryLoad($"libcrypto.so.{major}", out var crypto) || !NativeLibrary.TryLoad($"libssl.so.{major}", out var ssl))
        {
            return new Outcome(false, string.Empty, $"libcrypto.so.{major} or libssl.so.{major} could not be loaded");
        }

        try
        {
            return Load(crypto, ssl, groups);
        }
        catch (EntryPointNotFoundException ex)
        {
            return new Outcome(false, string.Empty, ex.Message);
        }
    }

    private static Outcome Load(nint crypto, nint ssl, string groups)
    {
        var initSsl = (delegate* unmanaged<ulong, nint, int>)NativeLibrary.GetExport(ssl, "OPENSSL_init_ssl");
        var newMemoryBio = (delegate* unmanaged<byte*, int, nint>)NativeLibrary.GetExport(crypto, "BIO_new_mem_buf");
        var freeBio = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(crypto, "BIO_free");
        var newConf = (delegate* unmanaged<nint, nint>)NativeLibrary.GetExport(crypto, "NCONF_new");
        var loadConf = (delegate* unmanaged<nint, nint, nint*, int>)NativeLibrary.GetExport(crypto, "NCONF_load_bio");
        var freeConf = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(crypto, "NCONF_free");
        var loadModules = (delegate* unmanaged<nint, byte*, nuint, int>)NativeLibrary.GetExport(crypto, "CONF_modules_load");

        // The default configuration is loaded first, once, so that it cannot replace this one later.
        if (initSsl(0, 0) != 1)
        {
            return Failed(crypto, "OPENSSL_init_ssl failed");
        }

        var text = Encoding.ASCII.GetBytes(
            "openssl_conf = securecam_init\n" +
            "[securecam_init]\nssl_conf = securecam_ssl\n" +
            "[securecam_ssl]\nsystem_default = securecam_tls\n" +
            $"[securecam_tls]\nGroups = {groups}\n");
        nint conf = 0;
        nint bio = 0;
        try
        {
            fixed (byte* bytes = text)
            {
                bio = newMemoryBio(bytes, text.Length);
                conf = newConf(0);
                nint errorLine = 0;
                if (bio == 0 || conf == 0 || loadConf(conf, bio, &errorLine) != 1)
                {
                    return Failed(crypto, $"the configuration did not load (line {errorLine})");
                }

                if (loadModules(conf, null, 0) <= 0)
                {
                    return Failed(crypto, "CONF_modules_load failed");
                }
            }
        }
        finally
        {
            if (conf != 0)
            {
                freeConf(conf);
            }

            if (bio != 0)
            {
                freeBio(bio);
            }
        }

        // OpenSSL has no getter for a context's own groups; applying the section by name to a fresh
        // context proves it is in force and that OpenSSL accepted every group it names.
        return SectionApplies(ssl)
            ? new Outcome(true, groups, null)
            : Failed(crypto, $"OpenSSL refused system_default with Groups = {groups}");
    }

    private static bool SectionApplies(nint ssl)
    {
        var method = (delegate* unmanaged<nint>)NativeLibrary.GetExport(ssl, "TLS_method");
        var newContext = (delegate* unmanaged<nint, nint>)NativeLibrary.GetExport(ssl, "SSL_CTX_new");
        var freeContext = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(ssl, "SSL_CTX_free");
        var configure = (delegate* unmanaged<nint, byte*, int>)NativeLibrary.GetExport(ssl, "SSL_CTX_config");
        var context = newContext(method());
        if (context == 0)
        {
            return false;
        }

        try
        {
            fixed (byte* name = "system_default\0"u8)
            {
                return configure(context, name) == 1;
            }
        }
        finally
        {
            freeContext(context);
        }
    }

    /// <summary>An outcome naming OpenSSL's first queued error, with the queue emptied (.NET expects it empty).</summary>
    private static Outcome Failed(nint crypto, string what)
    {
        var getError = (delegate* unmanaged<nuint>)NativeLibrary.GetExport(crypto, "ERR_get_error");
        var errorText = (delegate* unmanaged<nuint, byte*, nuint, void>)NativeLibrary.GetExport(crypto, "ERR_error_string_n");
        var clearErrors = (delegate* unmanaged<void>)NativeLibrary.GetExport(crypto, "ERR_clear_error");
        var code = getError();
        var detail = string.Empty;
        if (code != 0)
        {
            var buffer = stackalloc byte[256];
            errorText(code, buffer, 256);
            detail = ": " + Marshal.PtrToStringAnsi((nint)buffer);
        }

        clearErrors();
        return new Outcome(false, string.Empty, what + detail);
    }
}
