using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;

namespace Cutover.Dashboard.Components;

public sealed partial class App
{
    public const string ThemeCookie = "cutover.theme";
    public const string LightTheme = "light";
    public const string DarkTheme = "dark";

    private bool _dark;

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = default!;

    /// <summary>
    /// Interactive server rendering without prerender (a live page must not subscribe twice); pages that need the
    /// HTTP context itself (sign-in) opt out with [ExcludeFromInteractiveRouting] and render statically.
    /// </summary>
    private IComponentRenderMode? PageRenderMode =>
        HttpContext.AcceptsInteractiveRouting() ? new InteractiveServerRenderMode(prerender: false) : null;

    protected override void OnInitialized() => _dark = IsDark(HttpContext);

    /// <summary>The theme chosen in this browser (the toggle writes the cookie); light unless it says dark.</summary>
    public static bool IsDark(HttpContext context) => context.Request.Cookies[ThemeCookie] == DarkTheme;
}
