using System.Net;

namespace SecureCam.Network.Doctor;

/// <summary>
/// Asks a "what is my IP" service (e.g. https://api.ipify.org, https://ifconfig.me/ip) for the address the
/// internet sees. Only called when the user passes a URL: the doctor never phones home by itself.
/// </summary>
public static class PublicIpLookup
{
    public static async Task<(IPAddress? Address, string? Error)> LookupAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var body = await http.GetStringAsync(url, deadline.Token).ConfigureAwait(false);
            var firstLine = body.Split('\n', 2)[0].Trim();
            return IPAddress.TryParse(firstLine, out var address)
                ? (address, null)
                : (null, $"{url} did not answer with an address (got '{Shorten(firstLine)}')");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"{url} did not answer within {timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            return (null, $"{url} failed: {e.Message}");
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
