using System.Runtime.InteropServices;

namespace SecureCam.Camera.V4l2.Native;

/// <summary>struct v4l2_frmivalenum (52 bytes); intervals are fractions of a second (numerator/denominator).</summary>
[StructLayout(LayoutKind.Explicit, Size = 52)]
internal unsafe struct V4l2FrmIvalEnum
{
    [FieldOffset(0)] public uint Index;
    [FieldOffset(4)] public uint PixelFormat;
    [FieldOffset(8)] public uint Width;
    [FieldOffset(12)] public uint Height;
    [FieldOffset(16)] public uint Type;

    // union { struct v4l2_fract discrete; struct v4l2_frmival_stepwise stepwise; }
    [FieldOffset(20)] public uint DiscreteNumerator;
    [FieldOffset(24)] public uint DiscreteDenominator;
    [FieldOffset(20)] public uint MinNumerator;
    [FieldOffset(24)] public uint MinDenominator;
    [FieldOffset(28)] public uint MaxNumerator;
    [FieldOffset(32)] public uint MaxDenominator;
    [FieldOffset(36)] public uint StepNumerator;
    [FieldOffset(40)] public uint StepDenominator;

    [FieldOffset(44)] public fixed uint Reserved[2];
}
