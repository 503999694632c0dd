using Microsoft.AspNetCore.Components;
using Radzen;

namespace Cutover.Dashboard.Components.Layout;

public sealed partial class MainLayout
{
    private bool _sidebarExpanded = true;

    /// <summary>Injected so that it persists theme changes in the cookie App reads on the next load.</summary>
    [Inject]
    private CookieThemeService CookieThemeService { get; set; } = default!;
}
