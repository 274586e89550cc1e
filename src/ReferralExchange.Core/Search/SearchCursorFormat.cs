using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ReferralExchange.Core.Search;

/// <summary>
/// The <c>_cursor</c> of next links: the last Task of a page as base64url("ticks.id"). It only says
/// where to continue; every page is filtered by the caller's own access again, so a forged cursor
/// reveals nothing (it merely starts the walk elsewhere).
/// </summary>
public static class SearchCursorFormat
{
    public static string Format(SearchCursor cursor) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{cursor.LastUpdatedTicks.ToString(CultureInfo.InvariantCulture)}.{cursor.TaskId}"));

    public static SearchCursor? Parse(string value)
    {
        if (value.Length is 0 or > 200)
        {
            return null;
        }
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(value);
        }
        catch (FormatException)
        {
            return null;
        }
        var text = Encoding.UTF8.GetString(bytes);
        var dot = text.IndexOf('.');
        if (dot <= 0 || !long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            return null;
        }
        var id = text[(dot + 1)..];
        return id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') ? new SearchCursor(ticks, id) : null;
    }
}
