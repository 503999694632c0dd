using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Cutover.Dashboard.Components.Layout;

public sealed partial class MainLayout
{
    private bool _drawerOpen = true;
    private bool _dark;

    /// <summary>The theme App read from the browser's cookie.</summary>
    [CascadingParameter(Name = "DarkMode")]
    private bool InitialDarkMode { get; set; }

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    protected override void OnInitialized() => _dark = InitialDarkMode;

    private async Task ToggleThemeAsync()
    {
        _dark = !_dark;
        // Kept in a cookie so the next load (and the sign-in page, which has no circuit) starts in the same theme.
        await JS.InvokeVoidAsync("cutover.setTheme", _dark ? App.DarkTheme : App.LightTheme);
    }
}
