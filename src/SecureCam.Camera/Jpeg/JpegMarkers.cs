namespace SecureCam.Camera.Jpeg;

/// <summary>The JPEG marker codes we read or write (the byte after 0xFF).</summary>
internal static class JpegMarkers
{
    public const byte Soi = 0xD8;
    public const byte Eoi = 0xD9;
    public const byte Sos = 0xDA;
    public const byte Dqt = 0xDB;
    public const byte Dri = 0xDD;
    public const byte Dht = 0xC4;
    public const byte Sof0 = 0xC0;
    public const byte App0 = 0xE0;
    public const byte Rst0 = 0xD0;
    public const byte Rst7 = 0xD7;
    public const byte Tem = 0x01;

    /// <summary>Start-of-frame markers C0–CF except DHT (C4), JPG (C8) and DAC (CC).</summary>
    public static bool IsStartOfFrame(byte marker) => marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;

    /// <summary>Markers that stand alone, without a length field.</summary>
    public static bool IsStandalone(byte marker) => marker is (>= Rst0 and <= Rst7) or Soi or Eoi or Tem;
}
