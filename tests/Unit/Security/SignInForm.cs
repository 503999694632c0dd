using System.Net;
using System.Text.RegularExpressions;

namespace Cutover.Tests.Unit.Security;

/// <summary>
/// Drives the static sign-in and setup forms over HTTP like a browser does: GET the page (antiforgery cookie and
/// hidden fields), then POST the fields. The client must keep cookies (WebApplicationFactory clients do).
/// </summary>
public static partial class SignInForm
{
    public static Task<HttpResponseMessage> SignInAsync(HttpClient client, string userName, string password) =>
        SubmitAsync(client, "/login", new() { ["Input.UserName"] = userName, ["Input.Password"] = password });

    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string url, Dictionary<string, string> fields)
    {
        var page = await client.GetAsync(url);
        var html = await page.Content.ReadAsStringAsync();
        var form = new Dictionary<string, string>(HiddenFields(html));
        foreach (var (k, v) in fields) form[k] = v;
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    /// <summary>The page's hidden inputs: the antiforgery token and Blazor's form handler name.</summary>
    public static IEnumerable<KeyValuePair<string, string>> HiddenFields(string html) =>
        HiddenInput().Matches(html).Select(m => new KeyValuePair<string, string>(
            WebUtility.HtmlDecode(m.Groups["name"].Value), WebUtility.HtmlDecode(m.Groups["value"].Value)));

    /// <summary>Where a redirect points, as a local path (TestServer answers with absolute URLs).</summary>
    public static string RedirectPath(HttpResponseMessage response) =>
        response.Headers.Location is { IsAbsoluteUri: true } abs ? abs.PathAndQuery : response.Headers.Location?.OriginalString ?? "";

    /// <summary>The error the page shows (role="alert"), or null.</summary>
    public static string? ErrorText(string html) =>
        Alert().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(Regex.Replace(m.Groups[1].Value, "<[^>]+>", " ")).Trim() : null;

    [GeneratedRegex("""<input[^>]*type="hidden"[^>]*name="(?<name>[^"]+)"[^>]*value="(?<value>[^"]*)"[^>]*>""")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("""role="alert"[^>]*>.*?<span>(.*?)</span>""", RegexOptions.Singleline)]
    private static partial Regex Alert();
}
