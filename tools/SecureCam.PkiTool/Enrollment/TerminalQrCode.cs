using System.Text;
using QRCoder;

namespace SecureCam.PkiTool.Enrollment;

/// <summary>
/// A QR code for a terminal and as a PNG. In the terminal two module rows share one character cell
/// (upper and lower half blocks), so the code stays square and small enough to fit an 80×24 window;
/// on a terminal it is drawn black on white whatever the theme (scanners want dark modules on a light
/// ground, and a dark theme would otherwise invert it).
/// </summary>
internal static class TerminalQrCode
{
    /// <summary>Medium error correction: survives moiré and glare from a screen better than Low, and the link still fits a small version.</summary>
    private const QRCodeGenerator.ECCLevel Correction = QRCodeGenerator.ECCLevel.M;

    /// <summary>Pixels per module in the PNG: 10 gives a ~450-pixel image that prints and scans well.</summary>
    private const int PngModulePixels = 10;

    private const string BlackOnWhite = "\u001b[30;107m";
    private const string Reset = "\u001b[0m";

    public static string Render(string text, bool colours)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, Correction);
        var matrix = data.ModuleMatrix;
        var size = matrix.Count;
        var output = new StringBuilder();
        for (var row = 0; row < size; row += 2)
        {
            if (colours)
            {
                output.Append(BlackOnWhite);
            }

            for (var column = 0; column < size; column++)
            {
                var upper = matrix[row][column];
                var lower = row + 1 < size && matrix[row + 1][column];
                output.Append((upper, lower) switch
                {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    _ => ' ',
                });
            }

            if (colours)
            {
                output.Append(Reset);
            }

            output.Append('\n');
        }

        return output.ToString();
    }

    public static byte[] Png(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, Correction);
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(PngModulePixels);
    }
}
