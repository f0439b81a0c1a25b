namespace SecureCam.Camera.V4l2;

/// <summary>libjpeg-turbo (libturbojpeg.so.0) could not be loaded; the message names the package to install.</summary>
public sealed class TurboJpegUnavailableException : Exception
{
    public TurboJpegUnavailableException()
        : base("libjpeg-turbo is not installed (libturbojpeg.so.0 not found): install the Debian package libturbojpeg0 to use a YUYV camera.")
    {
    }

    public TurboJpegUnavailableException(string message)
        : base(message)
    {
    }

    public TurboJpegUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
