// The fonts of every PDF the server draws (certificates, posters): DejaVu Serif from the
// dejavu-fonts-ttf package, embedded (subset) in each file: every Vietnamese letter, nothing
// downloaded at run time. Registered as "regular", "bold" and "italic".
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const FONTS = {
  regular: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSerif.ttf"),
  bold: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSerif-Bold.ttf"),
  italic: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSerif-Italic.ttf"),
};

export function withFonts(doc: PDFKit.PDFDocument): PDFKit.PDFDocument {
  for (const [name, file] of Object.entries(FONTS)) doc.registerFont(name, file);
  return doc;
}
