using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Workflows.Server.Endpoints;

/// <summary>
/// The opaque <c>nextCursor</c> of paged lists: base64url of <c>createdAt|id</c> (the last item of the page, with
/// the round-trip timestamp). Clients pass it back unchanged; anything else is refused as a bad cursor.
/// </summary>
internal static class PageCursor
{
    public static string Encode(DateTimeOffset createdAt, string id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{createdAt.ToString("O", CultureInfo.InvariantCulture)}|{id}"));

    public static bool TryDecode(string text, out DateTimeOffset createdAt, out string id)
    {
        createdAt = default;
        id = "";
        string plain;
        try
        {
            plain = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
        }
        catch (FormatException)
        {
            return false;
        }
        var bar = plain.IndexOf('|', StringComparison.Ordinal);
        if (bar <= 0 || bar == plain.Length - 1
            || !DateTimeOffset.TryParseExact(plain[..bar], "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out createdAt))
        {
            return false;
        }
        id = plain[(bar + 1)..];
        return true;
    }

    public const string Invalid = "is not a cursor this server issued; pass the nextCursor of the previous page unchanged, or omit it for the first page.";
}
