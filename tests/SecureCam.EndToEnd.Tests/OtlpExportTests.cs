using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using SecureCam.TestSupport;

namespace SecureCam.EndToEnd.Tests;

/// <summary>`securecam serve` pushes its metrics over OTLP/HTTP to an endpoint that asks for a client certificate.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Metrics_are_pushed_over_otlp_with_the_configured_client_certificate()
    {
        using var folder = new TempDirectory("securecam-otlp");
        var pki = folder.Combine("pki");
        await Programs.InitServerPkiAsync(pki);
        await Programs.PkiOkAsync(pki, "issue-server", "otel", "--ip", "127.0.0.1");
        await Programs.PkiOkAsync(pki, "issue-device", "cam-garden");

        // The receiving end: an OTLP/HTTP endpoint that demands a client certificate and keeps what it was sent.
        var received = new ConcurrentQueue<(string? Client, string ContentType, byte[] Body)>();
        var receiverPort = FreePort.Tcp();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        using var otelCertificate = X509Certificate2.CreateFromPemFile(Path.Combine(pki, "issued", "otel", "cert.pem"), Path.Combine(pki, "issued", "otel", "key.pem"));
        builder.WebHost.UseKestrel(k => k.ListenLocalhost(receiverPort, l => l.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = X509CertificateLoader.LoadPkcs12(otelCertificate.Export(X509ContentType.Pkcs12), null),
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            ClientCertificateValidation = (_, _, _) => true,
        })));
        await using var receiver = builder.Build();
        receiver.MapPost("/v1/metrics", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Connection.ClientCertificate?.GetNameInfo(X509NameType.SimpleName, false), context.Request.ContentType ?? "", body.ToArray()));
            return Results.Ok();
        });
        await receiver.StartAsync();

        var port = FreePort.Tcp();
        await using var server = await Programs.ServeAsync(folder.Path, pki, port, 320, 240, new()
        {
            ["SECURECAM__METRICS__OTLPENDPOINT"] = $"https://127.0.0.1:{receiverPort}",
            ["SECURECAM__METRICS__OTLPINTERVALSECONDS"] = "1",
            ["SECURECAM__METRICS__OTLPCLIENTNAME"] = "cam-garden",
            ["SECURECAM__METRICS__OTLPCAFILE"] = Path.Combine(pki, "ca.crt"),
            ["SECURECAM__METRICS__INSTANCENAME"] = "garden",
        });

        await Eventually.TrueAsync(
            () => received.Any(r => Encoding.UTF8.GetString(r.Body).Contains("securecam.frames.captured", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60),
            () => $"no OTLP export with securecam.frames.captured ({received.Count} requests)\n{server.Output}");

        var export = received.First(r => Encoding.UTF8.GetString(r.Body).Contains("securecam.frames.captured", StringComparison.Ordinal));
        Assert.Equal("cam-garden", export.Client);
        Assert.Equal("application/x-protobuf", export.ContentType);
        var text = Encoding.UTF8.GetString(export.Body);
        Assert.Contains("garden", text, StringComparison.Ordinal);
        Assert.Contains("dotnet.process.memory.working_set", text, StringComparison.Ordinal);
        Assert.Equal(0, await server.InterruptAsync(TimeSpan.FromSeconds(20)));
    }
}
