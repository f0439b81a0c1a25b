using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SecureCam.Pki;

/// <summary>An IPv4 or IPv6 network (address and prefix length), as a name constraint's iPAddress holds it.</summary>
public sealed record IpSubnet
{
    private IpSubnet(IPAddress network, int prefixLength)
    {
        Network = network;
        PrefixLength = prefixLength;
    }

    /// <summary>The network address, host bits cleared.</summary>
    public IPAddress Network { get; }

    public int PrefixLength { get; }

    public AddressFamily AddressFamily => Network.AddressFamily;

    /// <summary>Makes a subnet from an address and prefix length, clearing host bits.</summary>
    public static IpSubnet Create(IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        if (prefixLength < 0 || prefixLength > bytes.Length * 8)
        {
            throw new PkiException($"invalid prefix length /{prefixLength} for {address}");
        }

        var mask = MaskBytes(bytes.Length, prefixLength);
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] &= mask[i];
        }

        return new IpSubnet(new IPAddress(bytes), prefixLength);
    }

    /// <summary>Parses "10.0.0.0/8", "fd00::/8" or a single address (a /32 or /128).</summary>
    public static IpSubnet Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressPart = slash < 0 ? text : text[..slash];
        var address = IpAddresses.TryParseStrict(addressPart)
            ?? throw new PkiException($"invalid IP address or network '{text}'");

        var bits = address.GetAddressBytes().Length * 8;
        var prefix = bits;
        if (slash >= 0 && !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix))
        {
            throw new PkiException($"invalid IP network '{text}': the prefix length after '/' must be a number");
        }

        if (prefix > bits)
        {
            throw new PkiException($"invalid IP network '{text}': /{prefix} is longer than {bits} bits");
        }

        return Create(address, prefix);
    }

    /// <summary>The 8 (IPv4) or 32 (IPv6) bytes RFC 5280 puts in a name constraint: address, then mask.</summary>
    public byte[] ToConstraintBytes()
    {
        var address = Network.GetAddressBytes();
        return [.. address, .. MaskBytes(address.Length, PrefixLength)];
    }

    /// <summary>Reads the address-and-mask form back; null when the mask is not a prefix.</summary>
    public static IpSubnet? FromConstraintBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length is not (8 or 32))
        {
            return null;
        }

        var half = bytes.Length / 2;
        var prefix = 0;
        var mask = bytes[half..];
        foreach (var b in mask)
        {
            prefix += System.Numerics.BitOperations.PopCount(b);
        }

        if (!mask.SequenceEqual(MaskBytes(half, prefix)))
        {
            return null;
        }

        return Create(new IPAddress(bytes[..half]), prefix);
    }

    /// <summary>True when <paramref name="address"/> lies in this network (same family only).</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var candidate = address.GetAddressBytes();
        var network = Network.GetAddressBytes();
        if (candidate.Length != network.Length)
        {
            return false;
        }

        var mask = MaskBytes(candidate.Length, PrefixLength);
        for (var i = 0; i < candidate.Length; i++)
        {
            if ((candidate[i] & mask[i]) != network[i])
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => $"{Network}/{PrefixLength}";

    private static byte[] MaskBytes(int length, int prefixLength)
    {
        var mask = new byte[length];
        for (var i = 0; i < length; i++)
        {
            var bitsHere = Math.Clamp(prefixLength - (i * 8), 0, 8);
            mask[i] = (byte)(0xFF << (8 - bitsHere));
        }

        return mask;
    }
}
