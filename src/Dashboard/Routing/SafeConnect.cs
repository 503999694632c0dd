using System.Net;
using System.Net.Sockets;
namespace Cutover.Dashboard.Routing;

/// <summary>
/// The connect step of every outbound client to a URL someone else chose (the RPC forwarder's agents, notification
/// receivers): each address the host resolves to is checked with <see cref="UrlSafety.CheckAddress"/> when the
/// connection is made, so a name that resolves to a metadata or other refused address is never connected to,
/// however it was accepted. <paramref name="field"/> names the setting in the refusal (UrlSafety speaks of acpUrl).
/// </summary>
public static class SafeConnect
{
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> With(UrlSafety urlSafety, string field = "acpUrl") =>
        async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(UrlSafety.NormalizeHost(host), out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            string? refusal = null;
            var allowed = new List<IPAddress>(addresses.Length);
            foreach (var address in addresses)
            {
                if (urlSafety.CheckAddress(host, address) is { } why) refusal ??= why;
                else allowed.Add(address);
            }

            if (allowed.Count == 0) throw new UnsafeDestinationException((refusal ?? $"'{host}' did not resolve to any address.").Replace("acpUrl", field, StringComparison.Ordinal));
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed.ToArray(), context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
}
