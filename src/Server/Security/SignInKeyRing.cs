using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace Workflows.Server.Security;

/// <summary>
/// Where the keys that protect sign-in cookies live. Without <see cref="SecurityOptions.KeyRingDirectory"/> the
/// framework's default applies (<c>~/.aspnet/DataProtection-Keys</c>, or memory when there is no home directory, as
/// in a container): then everyone signs in again after a restart. With it, the keys are files in that directory, so
/// sign-ins survive restarts and servers sharing the directory accept each other's cookies.
/// </summary>
internal static class SignInKeyRing
{
    /// <summary>Points the data-protection key ring at the configured directory, when there is one.</summary>
    public static void Configure(KeyManagementOptions options, IOptions<SecurityOptions> security, ILoggerFactory loggers)
    {
        var directory = security.Value.KeyRingDirectory;
        if (string.IsNullOrWhiteSpace(directory))
        {
            return;
        }

        var folder = Directory.CreateDirectory(directory);
        options.XmlRepository = new FileSystemXmlRepository(folder, loggers);
    }
}
