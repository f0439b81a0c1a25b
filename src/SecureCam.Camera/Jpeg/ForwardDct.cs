using System.Runtime.CompilerServices;

namespace SecureCam.Camera.Jpeg;

/// <summary>
/// The Arai–Agui–Nakajima fast 8x8 forward DCT in floating point. Its outputs carry a scale per
/// row and column (<see cref="AanScale"/>) that the quantiser folds into its divisors, which is
/// what makes it fast: 5 multiplications per 8 samples.
/// </summary>
internal static class ForwardDct
{
    /// <summary>AAN output scale for index k: cos(k·π/16)·√2 for k &gt; 0, 1 for k = 0.</summary>
    public static ReadOnlySpan<double> AanScale => [1.0, 1.387039845, 1.306562965, 1.175875602, 1.0, 0.785694958, 0.541196100, 0.275899379];

    /// <summary>Transforms 64 level-shifted samples (row-major) in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transform(Span<float> block)
    {
        for (int row = 0; row < 64; row += 8)
        {
            Pass(block, row, 1);
        }

        for (int column = 0; column < 8; column++)
        {
            Pass(block, column, 8);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pass(Span<float> d, int start, int stride)
    {
        int i0 = start, i1 = start + stride, i2 = start + (2 * stride), i3 = start + (3 * stride);
        int i4 = start + (4 * stride), i5 = start + (5 * stride), i6 = start + (6 * stride), i7 = start + (7 * stride);

        float tmp0 = d[i0] + d[i7];
        float tmp7 = d[i0] - d[i7];
        float tmp1 = d[i1] + d[i6];
        float tmp6 = d[i1] - d[i6];
        float tmp2 = d[i2] + d[i5];
        float tmp5 = d[i2] - d[i5];
        float tmp3 = d[i3] + d[i4];
        float tmp4 = d[i3] - d[i4];

        // Even part.
        float tmp10 = tmp0 + tmp3;
        float tmp13 = tmp0 - tmp3;
        float tmp11 = tmp1 + tmp2;
        float tmp12 = tmp1 - tmp2;
        d[i0] = tmp10 + tmp11;
        d[i4] = tmp10 - tmp11;
        float z1 = (tmp12 + tmp13) * 0.707106781f;
        d[i2] = tmp13 + z1;
        d[i6] = tmp13 - z1;

        // Odd part.
        tmp10 = tmp4 + tmp5;
        tmp11 = tmp5 + tmp6;
        tmp12 = tmp6 + tmp7;
        float z5 = (tmp10 - tmp12) * 0.382683433f;
        float z2 = (0.541196100f * tmp10) + z5;
        float z4 = (1.306562965f * tmp12) + z5;
        float z3 = tmp11 * 0.707106781f;
        float z11 = tmp7 + z3;
        float z13 = tmp7 - z3;
        d[i5] = z13 + z2;
        d[i3] = z13 - z2;
        d[i1] = z11 + z4;
        d[i7] = z11 - z4;
    }
}
