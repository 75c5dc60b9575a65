using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Workflows.Server.Security;
using Workflows.Server.Tests.Support;

namespace Workflows.Server.Tests.Security;

/// <summary>Keys and passwords never appear in the server's logs (every level, every structured value) nor in its answers.</summary>
public sealed class SecretsTests
{
    [Fact]
    public async Task KeysAndPasswords_RightAndWrong_NeverAppearInLogsOrResponses()
    {
        const string wrongKey = "wrong-key-6d5c4b3a29180f7e6d5c";
        const string wrongPassword = "wrong-password-1f2e3d4c5b6a";
        using var factory = new SecureServerFactory();
        var seen = new List<string>();
        async Task Record(HttpResponseMessage response)
        {
            seen.Add(response.ToString());
            seen.Add(await response.Content.ReadAsStringAsync());
            response.Dispose();
        }
        using var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        foreach (var key in SecureServerFactory.AllKeys.Append(wrongKey))
        {
            using var client = factory.CreateClient(key);
            await Record(await client.GetAsync("/api/me", Patience.Token()));
            await Record(await client.GetAsync("/api/workflows", Patience.Token()));
            await Record(await client.PostStartAsync("no_such_workflow"));
            await Record(await client.PostAsync("/api/tasks/none/complete", Api.Json("{}"), Patience.Token()));
            await Record(await client.GetAsync("/api/nothing", Patience.Token()));
        }
        foreach (var (user, password) in new[] { ("alice", SecureServerFactory.PasswordOf("alice")), ("alice", wrongPassword), (wrongPassword, wrongPassword) })
        {
            await Record(await browser.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["username"] = user == wrongPassword ? "mallory" : user,
                ["password"] = password,
                ["returnUrl"] = "/",
            }), Patience.Token()));
        }
        await Record(await browser.GetAsync("/openapi/v1.json", Patience.Token()));

        var logs = string.Join('\n', factory.Logs);
        Assert.Contains("Refused an unknown API key", logs, StringComparison.Ordinal); // the capture works
        Assert.Contains("Sign-in failed for user 'alice'", logs, StringComparison.Ordinal);
        var secrets = SecureServerFactory.AllKeys.Append(wrongKey).Append(wrongPassword).Append(SecureServerFactory.PasswordOf("alice"))
            .Append(SecureServerFactory.PasswordOf("bob"));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(seen, text => text.Contains(secret, StringComparison.Ordinal));
        }
        // Nor the stored hashes: a password hash is guessable offline.
        var hashes = factory.Settings.Where(s => s.Key.EndsWith("Hash", StringComparison.Ordinal)).Select(s => s.Value!).ToArray();
        Assert.NotEmpty(hashes);
        foreach (var hash in hashes)
        {
            Assert.DoesNotContain(hash, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(seen, text => text.Contains(hash, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void BadOptions_RefuseToStart_NamingTheKey_WithoutPrintingTheHash()
    {
        using var factory = new SecureServerFactory();
        factory.Settings["Workflows:Security:ApiKeys:broken:Hash"] = "md5:0123456789abcdef";
        factory.Settings["Workflows:Security:ApiKeys:broken:Permissions:0"] = "runs:everything";
        factory.Settings["Workflows:Security:Users:carol:PasswordHash"] = "plain-text-password";

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var message = error.ToString();
        Assert.Contains("Workflows:Security:ApiKeys:broken:Hash is not a key hash", message, StringComparison.Ordinal);
        Assert.Contains("Workflows:Security:ApiKeys:broken:Permissions:0 is 'runs:everything'", message, StringComparison.Ordinal);
        Assert.Contains("Workflows:Security:Users:carol:PasswordHash is not a password hash", message, StringComparison.Ordinal);
        Assert.DoesNotContain("plain-text-password", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnforcedWithNobodyConfigured_LogsAnError_AndRefusesEveryApiRequest()
    {
        using var factory = new EmptyEnforcedFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/api/workflows", Patience.Token());

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains(factory.Logs, line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains("every API request will be refused", StringComparison.Ordinal));
    }

    /// <summary>Enforced, with no users and no keys.</summary>
    private sealed class EmptyEnforcedFactory : SecureServerFactory
    {
        public EmptyEnforcedFactory()
        {
            foreach (var key in Settings.Keys.Where(k => k.StartsWith("Workflows:Security:Users", StringComparison.Ordinal) || k.StartsWith("Workflows:Security:ApiKeys", StringComparison.Ordinal)).ToArray())
            {
                Settings.Remove(key);
            }
        }
    }

    [Fact]
    public void HashPasswordCommand_PrintsAHashThatVerifies_AndRefusesThePasswordAsAnArgument()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = SecurityCommands.Run([SecurityCommands.HashPassword], new StringReader("s3cret pass\n"), output, error);
        var refused = SecurityCommands.Run([SecurityCommands.HashPassword, "s3cret"], new StringReader(""), TextWriter.Null, TextWriter.Null);

        Assert.Equal(0, code);
        var hash = output.ToString().Trim();
        Assert.StartsWith("pbkdf2-sha256$210000$", hash, StringComparison.Ordinal);
        Assert.Null(PasswordHashing.Problem(hash));
        Assert.True(PasswordHashing.Verify("s3cret pass", hash));
        Assert.False(PasswordHashing.Verify("s3cret pas", hash));
        Assert.Equal(2, refused);
    }

    [Fact]
    public void NewApiKeyCommand_PrintsAKeyAndItsSha256Hash()
    {
        using var output = new StringWriter();

        var code = SecurityCommands.Run([SecurityCommands.NewApiKey], TextReader.Null, output, TextWriter.Null);

        Assert.Equal(0, code);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var key = lines.Single(l => l.StartsWith("key:", StringComparison.Ordinal))[4..].Trim();
        var hash = lines.Single(l => l.StartsWith("hash:", StringComparison.Ordinal))[5..].Trim();
        Assert.True(key.Length >= 40);
        var expected = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
        Assert.Equal(expected, hash);
        Assert.Null(ApiKeyHashing.Problem(hash));
    }
}
