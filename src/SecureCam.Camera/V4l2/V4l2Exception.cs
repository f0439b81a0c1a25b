namespace SecureCam.Camera.V4l2;

/// <summary>A V4L2 call failed; <see cref="Errno"/> tells whether the device is gone (ENODEV, EIO) or busy.</summary>
public sealed class V4l2Exception : IOException
{
    public V4l2Exception(string message, int errno)
        : base(message) => Errno = errno;

    public V4l2Exception()
    {
    }

    public V4l2Exception(string message)
        : base(message)
    {
    }

    public V4l2Exception(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Errno { get; }
}
