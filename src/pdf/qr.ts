// A QR code drawn into a PDF as vector squares: sharp at any zoom and print size, no image.
// The qrcode library loads on first use (see fonts.ts).

export type QrDrawer = (doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number) => void;

export async function qrDrawer(): Promise<QrDrawer> {
  const { default: QRCode } = await import("qrcode");
  return (doc, text, x, y, size) => {
    const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
    const quiet = 2;
    const cell = size / (modules.size + 2 * quiet);
    doc.rect(x, y, size, size).fill("#ffffff");
    for (let r = 0; r < modules.size; r++) {
      for (let c = 0; c < modules.size; c++) {
        if (modules.get(r, c)) doc.rect(x + (c + quiet) * cell, y + (r + quiet) * cell, cell + 0.05, cell + 0.05);
      }
    }
    doc.fill("#000000");
  };
}

/** A QR code as a PNG image (chat, console). */
export async function qrPng(text: string, width: number): Promise<Buffer> {
  const { default: QRCode } = await import("qrcode");
  return QRCode.toBuffer(text, { width, margin: 2 });
}
