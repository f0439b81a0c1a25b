using System.Buffers.Binary;
using System.Text;

namespace SecureCam.Acme;

/// <summary>
/// Reads the ALPN protocols a TLS ClientHello offers (RFC 7301), so a listener can tell a tls-alpn-01
/// validation (ALPN exactly "acme-tls/1") from an ordinary client before it chooses certificates and
/// whether to ask for a client certificate. Kestrel's ServerOptionsSelectionCallback only sees the SNI;
/// the raw ClientHello (e.g. from TlsClientHelloBytesCallback) has the ALPN list.
/// </summary>
public static class TlsClientHelloAlpn
{
    private const byte HandshakeRecord = 0x16;
    private const byte ClientHello = 0x01;
    private const ushort AlpnExtension = 0x0010;

    /// <summary>True when the ClientHello offers <see cref="TlsAlpn01CertificateStore.ProtocolName"/>.</summary>
    public static bool OffersAcmeTls1(ReadOnlySpan<byte> clientHello) =>
        TryRead(clientHello, out var protocols) && protocols.Contains(TlsAlpn01CertificateStore.ProtocolName);

    /// <summary>
    /// The ALPN protocol names in <paramref name="data"/>: a ClientHello with or without its TLS record
    /// header. False when the bytes are not a (complete enough) ClientHello; an empty list when it has
    /// no ALPN extension. Never throws, whatever the bytes: they come straight from the network.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out IReadOnlyList<string> protocols)
    {
        protocols = [];
        if (data.Length >= 5 && data[0] == HandshakeRecord)
        {
            var recordLength = BinaryPrimitives.ReadUInt16BigEndian(data[3..]);
            data = data[5..];
            data = data[..Math.Min(data.Length, recordLength)];
        }

        // Handshake header: type, 24-bit length; then version (2) and random (32).
        if (data.Length < 4 + 2 + 32 || data[0] != ClientHello)
        {
            return false;
        }

        var body = data[4..];
        var length = (data[1] << 16) | (data[2] << 8) | data[3];
        body = body[..Math.Min(body.Length, length)];
        if (body.Length < 2 + 32)
        {
            // The handshake length says the body ends before version and random: not a ClientHello.
            return false;
        }

        var reader = new SpanReader(body[34..]);
        if (!reader.SkipVector(1) || !reader.SkipVector(2) || !reader.SkipVector(1))
        {
            return false;
        }

        if (reader.Remaining == 0)
        {
            return true;
        }

        if (!reader.TryReadVector(2, out var extensions))
        {
            return false;
        }

        var extensionReader = new SpanReader(extensions);
        while (extensionReader.Remaining > 0)
        {
            if (!extensionReader.TryReadUInt16(out var type) || !extensionReader.TryReadVector(2, out var extension))
            {
                return false;
            }

            if (type == AlpnExtension)
            {
                return TryReadProtocolList(extension, out protocols);
            }
        }

        return true;
    }

    private static bool TryReadProtocolList(ReadOnlySpan<byte> extension, out IReadOnlyList<string> protocols)
    {
        protocols = [];
        var reader = new SpanReader(extension);
        if (!reader.TryReadVector(2, out var list))
        {
            return false;
        }

        var names = new List<string>();
        var listReader = new SpanReader(list);
        while (listReader.Remaining > 0)
        {
            if (!listReader.TryReadVector(1, out var name))
            {
                return false;
            }

            names.Add(Encoding.ASCII.GetString(name));
        }

        protocols = names;
        return true;
    }

    /// <summary>Reads TLS's length-prefixed vectors from a span, never past its end.</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _data = data;

        public readonly int Remaining => _data.Length;

        public bool TryReadUInt16(out ushort value)
        {
            value = 0;
            if (_data.Length < 2)
            {
                return false;
            }

            value = BinaryPrimitives.ReadUInt16BigEndian(_data);
            _data = _data[2..];
            return true;
        }

        public bool TryReadVector(int lengthBytes, out ReadOnlySpan<byte> vector)
        {
            vector = default;
            if (_data.Length < lengthBytes)
            {
                return false;
            }

            var length = lengthBytes == 1 ? _data[0] : BinaryPrimitives.ReadUInt16BigEndian(_data);
            if (_data.Length < lengthBytes + length)
            {
                return false;
            }

            vector = _data.Slice(lengthBytes, length);
            _data = _data[(lengthBytes + length)..];
            return true;
        }

        public bool SkipVector(int lengthBytes) => TryReadVector(lengthBytes, out _);
    }
}
