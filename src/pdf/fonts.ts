// The PDFs the server draws (certificates, posters, entries) start here: pdfkit, loaded on first
// use (it and its font engine weigh ~20 MiB that a server which never draws a PDF does without),
// with DejaVu Serif from the dejavu-fonts-ttf package embedded (subset) in each file: every
// Vietnamese letter, nothing downloaded at run time. Registered as "regular", "bold", "italic".
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const FONTS = {
  regular: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSerif.ttf"),
  bold: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSerif-Bold.ttf"),
  italic: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSerif-Italic.ttf"),
};

export async function newPdf(options: PDFKit.PDFDocumentOptions): Promise<PDFKit.PDFDocument> {
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument(options);
  for (const [name, file] of Object.entries(FONTS)) doc.registerFont(name, file);
  return doc;
}
