using System.Net;
using System.Text;
using SecureCam.Network.Doctor;
using SecureCam.TestSupport;

namespace SecureCam.Network.Tests;

/// <summary>The "what is my IP" lookup against a real HTTP server on loopback.</summary>
public sealed class PublicIpLookupTests
{
    [Theory]
    [InlineData("203.0.113.7\n", "203.0.113.7", null)]
    [InlineData("<html>blocked</html>", null, "did not answer with an address")]
    public async Task Reads_the_plain_text_answer(string body, string? expected, string? error)
    {
        var port = FreePort.Tcp();
        using var http = new HttpListener();
        http.Prefixes.Add($"http://127.0.0.1:{port}/");
        http.Start();
        var serve = Task.Run(async () =>
        {
            var context = await http.GetContextAsync();
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.ContentType = "text/plain";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        });

        var (address, message) = await PublicIpLookup.LookupAsync(new Uri($"http://127.0.0.1:{port}/"), TimeSpan.FromSeconds(10), CancellationToken.None);
        await serve.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(expected, address?.ToString());
        if (error is null)
        {
            Assert.Null(message);
        }
        else
        {
            Assert.Contains(error, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_silent_server_times_out_quickly()
    {
        // Accepts the connection (the kernel does, from the backlog) but never answers.
        var port = FreePort.Tcp();
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, port);
        silent.Start();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var (address, message) = await PublicIpLookup.LookupAsync(new Uri($"http://127.0.0.1:{port}/"), TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Null(address);
        Assert.Contains("did not answer within", message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.5, 8);
    }
}
