using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;
using Radzen;

namespace Cutover.Dashboard.Components;

public sealed partial class App
{
    public const string ThemeCookie = "cutover.theme";
    public const string LightTheme = "software";
    public const string DarkTheme = "software-dark";

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    [Inject]
    private ThemeService ThemeService { get; set; } = default!;

    private string Theme { get; set; } = LightTheme;

    /// <summary>
    /// Interactive server rendering without prerender (a live page must not subscribe twice); pages that need the
    /// HTTP context itself (sign-in) opt out with [ExcludeFromInteractiveRouting] and render statically.
    /// </summary>
    private IComponentRenderMode? PageRenderMode =>
        HttpContext.AcceptsInteractiveRouting() ? new InteractiveServerRenderMode(prerender: false) : null;

    protected override void OnInitialized()
    {
        var cookie = HttpContext.Request.Cookies[ThemeCookie];
        Theme = cookie is LightTheme or DarkTheme ? cookie : LightTheme;
        ThemeService.SetTheme(Theme, false);
    }
}
