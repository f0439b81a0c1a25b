using System.Runtime.InteropServices;

namespace SecureCam.Camera.V4l2.Native;

/// <summary>struct pollfd.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollFd
{
    public int Fd;
    public short Events;
    public short Revents;
}
