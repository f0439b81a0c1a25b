using System.Runtime.InteropServices;

namespace SecureCam.Camera.V4l2.Native;

/// <summary>struct v4l2_frmsizeenum (44 bytes); the union holds either a discrete size or a stepwise range.</summary>
[StructLayout(LayoutKind.Explicit, Size = 44)]
internal unsafe struct V4l2FrmSizeEnum
{
    [FieldOffset(0)] public uint Index;
    [FieldOffset(4)] public uint PixelFormat;
    [FieldOffset(8)] public uint Type;

    // union { struct v4l2_frmsize_discrete discrete; struct v4l2_frmsize_stepwise stepwise; }
    [FieldOffset(12)] public uint DiscreteWidth;
    [FieldOffset(16)] public uint DiscreteHeight;
    [FieldOffset(12)] public uint MinWidth;
    [FieldOffset(16)] public uint MaxWidth;
    [FieldOffset(20)] public uint StepWidth;
    [FieldOffset(24)] public uint MinHeight;
    [FieldOffset(28)] public uint MaxHeight;
    [FieldOffset(32)] public uint StepHeight;

    [FieldOffset(36)] public fixed uint Reserved[2];
}
