using System.Runtime.InteropServices;
using System.Text;
using SecureCam.Camera.V4l2.Native;

namespace SecureCam.Camera.V4l2;

/// <summary>
/// An open V4L2 video node and the ioctls we use on it. Every call checks its result and retries
/// on EINTR; failures become <see cref="V4l2Exception"/> carrying errno.
/// </summary>
internal sealed unsafe class V4l2Device : IDisposable
{
    private int _fd;

    private V4l2Device(string path, int fd)
    {
        Path = path;
        _fd = fd;
    }

    public string Path { get; }

    /// <summary>Opens non-blocking, so DQBUF returns EAGAIN instead of waiting: we wait in poll with a timeout.</summary>
    public static V4l2Device Open(string path)
    {
        int fd = LibC.Open(path, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new V4l2Exception($"cannot open {path}: {LibC.Describe(errno)}", errno);
        }

        return new V4l2Device(path, fd);
    }

    public V4l2Capability QueryCapability()
    {
        V4l2Capability cap = default;
        Call(V4l2Ioctl.QueryCap, &cap, "VIDIOC_QUERYCAP");
        return cap;
    }

    /// <summary>Formats the node can capture (VIDIOC_ENUM_FMT until EINVAL).</summary>
    public List<(uint PixelFormat, string Description)> EnumerateFormats()
    {
        var result = new List<(uint, string)>();
        for (uint i = 0; ; i++)
        {
            var desc = new V4l2FmtDesc { Index = i, Type = V4l2Constants.BufTypeVideoCapture };
            if (!TryCall(V4l2Ioctl.EnumFmt, &desc, "VIDIOC_ENUM_FMT"))
            {
                return result;
            }

            result.Add((desc.PixelFormat, CString(desc.Description, 32)));
        }
    }

    public List<V4l2FrmSizeEnum> EnumerateFrameSizes(uint pixelFormat)
    {
        var result = new List<V4l2FrmSizeEnum>();
        for (uint i = 0; ; i++)
        {
            var size = new V4l2FrmSizeEnum { Index = i, PixelFormat = pixelFormat };
            if (!TryCall(V4l2Ioctl.EnumFrameSizes, &size, "VIDIOC_ENUM_FRAMESIZES"))
            {
                return result;
            }

            result.Add(size);
            if (size.Type != V4l2Constants.FrmSizeTypeDiscrete)
            {
                // Stepwise and continuous ranges are reported once, at index 0.
                return result;
            }
        }
    }

    public List<V4l2FrmIvalEnum> EnumerateFrameIntervals(uint pixelFormat, uint width, uint height)
    {
        var result = new List<V4l2FrmIvalEnum>();
        for (uint i = 0; ; i++)
        {
            var interval = new V4l2FrmIvalEnum { Index = i, PixelFormat = pixelFormat, Width = width, Height = height };
            if (!TryCall(V4l2Ioctl.EnumFrameIntervals, &interval, "VIDIOC_ENUM_FRAMEINTERVALS"))
            {
                return result;
            }

            result.Add(interval);
            if (interval.Type != V4l2Constants.FrmIvalTypeDiscrete)
            {
                return result;
            }
        }
    }

    /// <summary>VIDIOC_S_FMT; returns what the driver actually chose, which may differ from what was asked.</summary>
    public V4l2Format SetFormat(uint pixelFormat, int width, int height)
    {
        var format = new V4l2Format
        {
            Type = V4l2Constants.BufTypeVideoCapture,
            Width = (uint)width,
            Height = (uint)height,
            PixelFormat = pixelFormat,
            Field = V4l2Constants.FieldNone,
        };
        Call(V4l2Ioctl.SetFmt, &format, "VIDIOC_S_FMT");
        return format;
    }

    /// <summary>Asks for <paramref name="fps"/> frames per second; returns the rate granted, or null when the driver has no frame-rate control.</summary>
    public double? SetFrameRate(int fps)
    {
        var parm = new V4l2StreamParm { Type = V4l2Constants.BufTypeVideoCapture };
        if (!TryCall(V4l2Ioctl.GetParm, &parm, "VIDIOC_G_PARM") || (parm.Capability & V4l2Constants.CapTimePerFrame) == 0)
        {
            return null;
        }

        parm.TimePerFrameNumerator = 1;
        parm.TimePerFrameDenominator = (uint)fps;
        if (!TryCall(V4l2Ioctl.SetParm, &parm, "VIDIOC_S_PARM") || parm.TimePerFrameNumerator == 0)
        {
            return null;
        }

        return (double)parm.TimePerFrameDenominator / parm.TimePerFrameNumerator;
    }

    public uint RequestBuffers(uint count)
    {
        var request = new V4l2RequestBuffers { Count = count, Type = V4l2Constants.BufTypeVideoCapture, Memory = V4l2Constants.MemoryMmap };
        Call(V4l2Ioctl.ReqBufs, &request, "VIDIOC_REQBUFS");
        return request.Count;
    }

    public V4l2Buffer QueryBuffer(uint index)
    {
        var buffer = NewBuffer(index);
        Call(V4l2Ioctl.QueryBuf, &buffer, "VIDIOC_QUERYBUF");
        return buffer;
    }

    public void Queue(uint index)
    {
        var buffer = NewBuffer(index);
        Call(V4l2Ioctl.QBuf, &buffer, "VIDIOC_QBUF");
    }

    /// <summary>VIDIOC_DQBUF; false when no filled buffer is waiting (EAGAIN).</summary>
    public bool TryDequeue(out V4l2Buffer buffer)
    {
        buffer = NewBuffer(0);
        fixed (V4l2Buffer* p = &buffer)
        {
            while (true)
            {
                if (LibC.Ioctl(_fd, V4l2Ioctl.DqBuf, p) == 0)
                {
                    return true;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno == LibC.EINTR)
                {
                    continue;
                }

                if (errno == LibC.EAGAIN)
                {
                    return false;
                }

                throw Failure("VIDIOC_DQBUF", errno);
            }
        }
    }

    public void StreamOn()
    {
        int type = (int)V4l2Constants.BufTypeVideoCapture;
        Call(V4l2Ioctl.StreamOn, &type, "VIDIOC_STREAMON");
    }

    /// <summary>Best effort: used while tearing down, when the device may already be gone.</summary>
    public void TryStreamOff()
    {
        int type = (int)V4l2Constants.BufTypeVideoCapture;
        _ = LibC.Ioctl(_fd, V4l2Ioctl.StreamOff, &type);
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for a filled buffer; false on timeout.</summary>
    public bool WaitReadable(int timeoutMilliseconds)
    {
        var fds = new PollFd { Fd = _fd, Events = LibC.POLLIN };
        while (true)
        {
            int n = LibC.Poll(&fds, 1, timeoutMilliseconds);
            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == LibC.EINTR)
                {
                    continue;
                }

                throw Failure("poll", errno);
            }

            if (n > 0 && (fds.Revents & (LibC.POLLERR | LibC.POLLHUP)) != 0 && (fds.Revents & LibC.POLLIN) == 0)
            {
                // An unplugged camera reports POLLERR/POLLHUP; DQBUF then says ENODEV.
                throw new V4l2Exception($"{Path}: device reported an error (unplugged?)", LibC.ENODEV);
            }

            return n > 0;
        }
    }

    public nint Map(uint offset, uint length)
    {
        var address = LibC.Mmap(0, length, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, _fd, offset);
        if (address == LibC.MapFailed)
        {
            throw Failure("mmap", Marshal.GetLastPInvokeError());
        }

        return address;
    }

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            _ = LibC.Close(fd);
        }
    }

    internal static string CString(byte* bytes, int capacity)
    {
        var span = new ReadOnlySpan<byte>(bytes, capacity);
        int end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }

    private static V4l2Buffer NewBuffer(uint index) =>
        new() { Index = index, Type = V4l2Constants.BufTypeVideoCapture, Memory = V4l2Constants.MemoryMmap };

    private void Call(nuint request, void* argument, string name)
    {
        while (LibC.Ioctl(_fd, request, argument) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.EINTR)
            {
                throw Failure(name, errno);
            }
        }
    }

    /// <summary>For enumerations: EINVAL means "no more entries" (or "not supported"); other errors still throw.</summary>
    private bool TryCall(nuint request, void* argument, string name)
    {
        while (LibC.Ioctl(_fd, request, argument) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.EINTR)
            {
                continue;
            }

            if (errno is LibC.EINVAL or LibC.ENOTTY)
            {
                return false;
            }

            throw Failure(name, errno);
        }

        return true;
    }

    private V4l2Exception Failure(string call, int errno) => new($"{Path}: {call} failed: {LibC.Describe(errno)}", errno);
}
