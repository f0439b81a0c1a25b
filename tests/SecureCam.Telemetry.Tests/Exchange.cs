using System.Text;

namespace SecureCam.Telemetry.Tests;

/// <summary>Sends a record over an established connection and waits for the collector's acknowledgement.</summary>
public static class Exchange
{
    public static byte[] Record(long sequence, string message = "test") => TelemetryJson.Serialize(new TelemetryRecord
    {
        CameraId = "test-camera",
        Time = DateTimeOffset.UtcNow,
        Sequence = sequence,
        Message = message,
    });

    /// <summary>True when the acknowledgement of <paramref name="sequence"/> arrived within the timeout.</summary>
    public static bool SendAndAwaitAck(DtlsClientConnection connection, long sequence, TimeSpan timeout)
    {
        connection.Send(Record(sequence));
        var buffer = new byte[DtlsPolicy.ReceiveLimit];
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var received = connection.Receive(buffer, 100);
            if (received >= 0 && TelemetryJson.ReadAcknowledgement(buffer.AsSpan(0, received)) == sequence)
            {
                return true;
            }
        }

        return false;
    }

    public static byte[] Line(string text) => Encoding.UTF8.GetBytes(text + "\n");
}
