using System.Buffers.Binary;

namespace SecureCam.Network.Clock;

/// <summary>
/// The 64-bit NTP timestamp: seconds since 1900-01-01 and a 32-bit fraction. RFC 4330 section 3: when
/// the top bit of the seconds is 0 the time lies in era 1 (from 2036-02-07), so the format keeps working
/// past the 2036 wrap.
/// </summary>
public static class NtpTimestamp
{
    private static readonly DateTime Era0 = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Era1 = new(2036, 2, 7, 6, 28, 16, DateTimeKind.Utc);

    public static DateTime Read(ReadOnlySpan<byte> bytes)
    {
        var seconds = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        var fraction = BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]);
        var origin = (seconds & 0x8000_0000) != 0 ? Era0 : Era1;
        var ticks = (long)seconds * TimeSpan.TicksPerSecond + (long)((ulong)fraction * TimeSpan.TicksPerSecond >> 32);
        return origin.AddTicks(ticks);
    }

    public static void Write(Span<byte> bytes, DateTime utc)
    {
        var origin = utc >= Era1 ? Era1 : Era0;
        var ticks = (utc - origin).Ticks;
        var seconds = (uint)(ticks / TimeSpan.TicksPerSecond);
        var fraction = (uint)(((ulong)(ticks % TimeSpan.TicksPerSecond) << 32) / TimeSpan.TicksPerSecond);
        BinaryPrimitives.WriteUInt32BigEndian(bytes, seconds);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[4..], fraction);
    }

    /// <summary>True when all eight bytes are zero (the "unknown" timestamp).</summary>
    public static bool IsZero(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt64BigEndian(bytes) == 0;
}
