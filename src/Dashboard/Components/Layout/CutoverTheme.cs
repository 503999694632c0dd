using MudBlazor;

namespace Cutover.Dashboard.Components.Layout;

/// <summary>
/// The one theme: light and dark palettes and the type scale (Inter, shipped in wwwroot/fonts). Colours are chosen
/// so text on them meets WCAG AA (4.5:1) in both modes: the filled colours carry white text, and the dark palette's
/// lighter tones carry dark text.
/// </summary>
public static class CutoverTheme
{
    public const string Font = "Inter";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3f4fb5",
            Secondary = "#5c6470",
            Success = "#1b6e3a",
            Error = "#b3261e",
            Warning = "#8a5100",
            Info = "#0b5cad",
            Dark = "#30343b",
            Background = "#f6f7f9",
            Surface = "#ffffff",
            AppbarBackground = "#ffffff",
            AppbarText = "#1f2328",
            DrawerBackground = "#ffffff",
            DrawerText = "#1f2328",
            TextPrimary = "#1f2328",
            TextSecondary = "#555d68",
            ActionDefault = "#555d68",
            // Disabled text still reads (4.5:1 on surface and on its own background); no fill marks it disabled.
            ActionDisabled = "#666b73",
            ActionDisabledBackground = "#eceef1",
            LinesDefault = "#dde1e6",
            TableLines = "#e6e9ed",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#a9b4ff",
            PrimaryContrastText = "#10162f",
            Secondary = "#b7bec8",
            SecondaryContrastText = "#15181c",
            Success = "#6fd08e",
            SuccessContrastText = "#0b2414",
            Error = "#ffb4ab",
            ErrorContrastText = "#3b0907",
            Warning = "#ffc266",
            WarningContrastText = "#2b1a00",
            Info = "#8fc3ff",
            InfoContrastText = "#06213d",
            Background = "#15171b",
            Surface = "#1e2126",
            AppbarBackground = "#1e2126",
            AppbarText = "#e6e8eb",
            DrawerBackground = "#1b1d22",
            DrawerText = "#e6e8eb",
            TextPrimary = "#e6e8eb",
            TextSecondary = "#aab1bb",
            ActionDefault = "#aab1bb",
            ActionDisabled = "#9aa0a8",
            ActionDisabledBackground = "#2c3037",
            LinesDefault = "#343841",
            TableLines = "#2c3037",
        },
        Typography = Type(),
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px", DrawerWidthLeft = "220px" },
    };

    private static Typography Type()
    {
        var type = new Typography();
        string[] family = [Font, "system-ui", "-apple-system", "Segoe UI", "Helvetica", "Arial", "sans-serif"];
        foreach (var t in new BaseTypography[]
                 {
                     type.Default, type.H1, type.H2, type.H3, type.H4, type.H5, type.H6, type.Subtitle1, type.Subtitle2,
                     type.Body1, type.Body2, type.Button, type.Caption, type.Overline,
                 })
        {
            t.FontFamily = family;
        }

        type.Button.TextTransform = "none";
        type.H4.FontSize = "1.6rem";
        type.H4.FontWeight = "600";
        type.H6.FontWeight = "600";
        return type;
    }
}
