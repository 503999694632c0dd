using Microsoft.Extensions.Options;

namespace Cutover.Dashboard.Runtime;

/// <summary>
/// Binds <see cref="LocalRuntimeOptions"/>. Image names contain ':' (<c>cutover/sample-agent:1.0</c>), which is also
/// configuration's path separator, so the image table is rebuilt by hand: every section under <c>Images</c> that has
/// a <c>Command</c> is an image, named by its path below <c>Images</c>.
/// </summary>
internal sealed class LocalRuntimeConfiguration(IConfiguration configuration) : IConfigureOptions<LocalRuntimeOptions>
{
    public void Configure(LocalRuntimeOptions options)
    {
        var section = configuration.GetSection(LocalRuntimeOptions.Section);
        options.Enabled = section.GetValue(nameof(LocalRuntimeOptions.Enabled), options.Enabled);
        options.OutputLines = section.GetValue(nameof(LocalRuntimeOptions.OutputLines), options.OutputLines);
        options.ControlPlaneUrl = section.GetValue(nameof(LocalRuntimeOptions.ControlPlaneUrl), options.ControlPlaneUrl);
        options.StopTimeout = section.GetValue(nameof(LocalRuntimeOptions.StopTimeout), options.StopTimeout);
        options.Images = new Dictionary<string, LocalImage>(StringComparer.Ordinal);
        Collect(section.GetSection(nameof(LocalRuntimeOptions.Images)), null, options.Images);
    }

    private static void Collect(IConfigurationSection section, string? prefix, Dictionary<string, LocalImage> images)
    {
        foreach (var child in section.GetChildren())
        {
            var name = prefix is null ? child.Key : $"{prefix}:{child.Key}";
            if (child.GetSection(nameof(LocalImage.Command)).Value is { Length: > 0 })
            {
                var image = new LocalImage();
                child.Bind(image);
                images[name] = image;
            }
            else
            {
                Collect(child, name, images);
            }
        }
    }
}
