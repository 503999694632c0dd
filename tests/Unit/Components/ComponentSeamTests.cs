using System.Reflection;
using Cutover.Dashboard.Live;
using Microsoft.AspNetCore.Components;

namespace Cutover.Tests.Unit.Components;

/// <summary>
/// STYLE.md 12: components reach data through the dashboard seam or one of its siblings, never the database,
/// the bus, the domain services or the stores directly (the sign-in and first-admin pages are the authentication
/// flow itself, not data, and render statically over the HTTP request).
/// </summary>
public sealed class ComponentSeamTests
{
    private static readonly Type[] Seams = [typeof(IDashboardClient), typeof(IAccessClient), typeof(IAgentToolsClient)];

    private static readonly string[] AuthenticationFlow = ["Cutover.Dashboard.Components.Pages.Login", "Cutover.Dashboard.Components.Pages.Setup"];

    [Fact]
    public void Components_InjectedServices_DataOnlyThroughTheSeams()
    {
        var dashboard = typeof(IDashboardClient).Assembly;
        var offenders = dashboard.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t) && !AuthenticationFlow.Contains(t.FullName))
            .SelectMany(t => t.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .Where(p => p.GetCustomAttribute<InjectAttribute>() is not null && IsData(p.PropertyType))
                .Select(p => $"{t.Name}.{p.Name}: {p.PropertyType.Name}"))
            .ToList();

        Assert.Empty(offenders);
    }

    /// <summary>Data lives in Core and in the host's stores, services and routing; a seam is the way in.</summary>
    private static bool IsData(Type type)
    {
        if (Seams.Contains(type)) return false;
        var ns = type.Namespace ?? "";
        if (ns.StartsWith("Cutover.Core", StringComparison.Ordinal)) return true;
        if (type.IsGenericType && type.GetGenericArguments().Any(a => a.Namespace?.StartsWith("Cutover.Core", StringComparison.Ordinal) == true)) return true;
        return ns is "Cutover.Dashboard.Routing" or "Cutover.Dashboard.Runtime" or "Cutover.Dashboard.Live" or "Cutover.Dashboard.Health"
            || (ns == "Cutover.Dashboard.Security" && type.Name != "ActionGuard");
    }
}
