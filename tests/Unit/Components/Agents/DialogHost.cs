using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Cutover.Tests.Unit.Components.Agents;

/// <summary>Opens a dialog the way a page does (through <see cref="IDialogService"/> into a rendered provider).</summary>
internal static class DialogHost
{
    public static async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> ShowAsync<TDialog>(
        BunitContext context, DialogParameters<TDialog> parameters) where TDialog : IComponent
    {
        var provider = context.Render<MudDialogProvider>();
        var dialogs = context.Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<TDialog>("Dialog", parameters));
        return (provider, reference!);
    }
}
