using System.Net;
using System.Net.Sockets;
using Cutover.Dashboard.Routing;

namespace Cutover.Dashboard.Notifications;

/// <summary>
/// The webhook client's connect step: every address a receiver's host resolves to is checked with
/// <see cref="UrlSafety.CheckAddress"/> (the rule the forwarder applies to agents), so a name that resolves to a
/// metadata or other refused address is never connected to, however it was accepted.
/// </summary>
public static class SafeConnect
{
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> With(UrlSafety urlSafety) =>
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

            if (allowed.Count == 0) throw new UnsafeDestinationException((refusal ?? $"'{host}' did not resolve to any address.").Replace("acpUrl", "url", StringComparison.Ordinal));
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
