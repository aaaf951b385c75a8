using QRCoder;

namespace Baoming.Sources;

/// <summary>
/// A QR code of a link as PNG bytes, big enough to print: QRCoder writes the PNG itself (no System.Drawing,
/// which is Windows-only since .NET 6).
/// </summary>
public static class LinkQrCode
{
    /// <summary>Pixels per module: a 64-character link is a version 4–5 code (33–37 modules), about 410 px with its quiet zone.</summary>
    public const int PixelsPerModule = 10;

    /// <summary>
    /// Error correction Q (25 % of the code may be lost): a printed poster gets folded, scuffed and
    /// photographed at an angle, and the link is short enough that the larger code costs nothing.
    /// The quiet zone is QRCoder's 4 modules, the standard's minimum.
    /// </summary>
    public static byte[] Png(string link)
    {
        using var data = QRCodeGenerator.GenerateQrCode(link, QRCodeGenerator.ECCLevel.Q);
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(PixelsPerModule, drawQuietZones: true);
    }
}
