using System.Runtime.InteropServices;

namespace SecureCam.Camera.V4l2;

/// <summary>
/// Encodes packed YUYV (YUV 4:2:2, the raw format of USB webcams) to JPEG with libjpeg-turbo's
/// TurboJPEG API, loaded at run time so a missing library gives a clear message instead of a crash.
/// The picture is split into Y, U and V planes and compressed with 4:2:2 sampling, so no colour
/// conversion is done in managed code. Not thread-safe: one encoder per capture thread.
/// </summary>
public sealed unsafe class YuyvJpegEncoder : IDisposable
{
    private const string LibraryName = "libturbojpeg.so.0";
    private const int Subsampling422 = 1;

    private readonly nint _library;
    private readonly delegate* unmanaged<nint> _initCompress;
    private readonly delegate* unmanaged<nint, byte**, int, int*, int, int, byte**, nuint*, int, int, int> _compressFromYuvPlanes;
    private readonly delegate* unmanaged<byte*, void> _free;
    private readonly delegate* unmanaged<nint, int> _destroy;
    private readonly delegate* unmanaged<nint, byte*> _errorString;
    private readonly int _quality;
    private nint _handle;
    private byte[] _planes = [];

    public YuyvJpegEncoder(int quality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        _quality = quality;
        if (!NativeLibrary.TryLoad(LibraryName, out _library))
        {
            throw new TurboJpegUnavailableException();
        }

        try
        {
            _initCompress = (delegate* unmanaged<nint>)NativeLibrary.GetExport(_library, "tjInitCompress");
            _compressFromYuvPlanes = (delegate* unmanaged<nint, byte**, int, int*, int, int, byte**, nuint*, int, int, int>)NativeLibrary.GetExport(_library, "tjCompressFromYUVPlanes");
            _free = (delegate* unmanaged<byte*, void>)NativeLibrary.GetExport(_library, "tjFree");
            _destroy = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(_library, "tjDestroy");
            _errorString = (delegate* unmanaged<nint, byte*>)NativeLibrary.GetExport(_library, "tjGetErrorStr2");
        }
        catch (EntryPointNotFoundException ex)
        {
            throw new TurboJpegUnavailableException("libturbojpeg.so.0 is too old (needs the TurboJPEG 2.0 API): upgrade the Debian package libturbojpeg0.", ex);
        }

        _handle = _initCompress();
        if (_handle == 0)
        {
            throw new InvalidOperationException("tjInitCompress failed.");
        }
    }

    /// <summary>
    /// Encodes one YUYV picture. <paramref name="bytesPerLine"/> is the driver's stride (at least
    /// width·2). Width must be even, as YUYV pairs two pixels per U/V sample.
    /// </summary>
    public byte[] Encode(ReadOnlySpan<byte> yuyv, int width, int height, int bytesPerLine)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        if (width <= 0 || height <= 0 || width % 2 != 0)
        {
            throw new ArgumentException($"YUYV size {width}x{height} must be positive with an even width.");
        }

        if (bytesPerLine < width * 2 || yuyv.Length < ((height - 1) * bytesPerLine) + (width * 2))
        {
            throw new ArgumentException($"YUYV buffer of {yuyv.Length} bytes is too small for {width}x{height} (stride {bytesPerLine}).");
        }

        int chromaWidth = width / 2;
        int lumaSize = width * height, chromaSize = chromaWidth * height;
        if (_planes.Length < lumaSize + (2 * chromaSize))
        {
            _planes = new byte[lumaSize + (2 * chromaSize)];
        }

        Deinterleave(yuyv, width, height, bytesPerLine, _planes.AsSpan(0, lumaSize), _planes.AsSpan(lumaSize, chromaSize), _planes.AsSpan(lumaSize + chromaSize, chromaSize));

        fixed (byte* planes = _planes)
        {
            byte** sources = stackalloc byte*[3] { planes, planes + lumaSize, planes + lumaSize + chromaSize };
            int* strides = stackalloc int[3] { width, chromaWidth, chromaWidth };
            byte* jpeg = null;
            nuint jpegSize = 0;
            int rc = _compressFromYuvPlanes(_handle, sources, width, strides, height, Subsampling422, &jpeg, &jpegSize, _quality, 0);
            try
            {
                if (rc != 0 || jpeg == null)
                {
                    throw new InvalidOperationException("libjpeg-turbo could not encode the frame: " + (Marshal.PtrToStringUTF8((nint)_errorString(_handle)) ?? "unknown error"));
                }

                return new ReadOnlySpan<byte>(jpeg, checked((int)jpegSize)).ToArray();
            }
            finally
            {
                if (jpeg != null)
                {
                    _free(jpeg);
                }
            }
        }
    }

    public void Dispose()
    {
        var handle = Interlocked.Exchange(ref _handle, 0);
        if (handle != 0)
        {
            _ = _destroy(handle);
        }
    }

    private static void Deinterleave(ReadOnlySpan<byte> yuyv, int width, int height, int stride, Span<byte> y, Span<byte> u, Span<byte> v)
    {
        int chromaWidth = width / 2;
        for (int row = 0; row < height; row++)
        {
            var line = yuyv.Slice(row * stride, width * 2);
            var yRow = y.Slice(row * width, width);
            var uRow = u.Slice(row * chromaWidth, chromaWidth);
            var vRow = v.Slice(row * chromaWidth, chromaWidth);
            for (int pair = 0; pair < chromaWidth; pair++)
            {
                // Y0 U Y1 V: two pixels share one U and one V sample.
                int i = pair * 4;
                yRow[2 * pair] = line[i];
                uRow[pair] = line[i + 1];
                yRow[(2 * pair) + 1] = line[i + 2];
                vRow[pair] = line[i + 3];
            }
        }
    }
}
