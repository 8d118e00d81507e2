// The lines of a Word document as the bank reader needs them: paragraphs in order (a table
// row's cells joined into one line), each a list of pieces marked or not. mammoth reads the
// document tree; it exposes bold, underline and highlight but not font colour, so runs in a
// colour (not automatic, not near-black) are given a highlight in the document's XML before
// mammoth reads it: red or blue answers count as marked, like bold ones.
import { readFile } from "node:fs/promises";

/** A piece of a line and whether it was marked (bold, underline, highlight or colour in Word). */
interface Piece {
  text: string;
  marked: boolean;
}
export type Line = Piece[];

interface DocNode {
  type: string;
  children?: DocNode[];
  value?: string;
  isBold?: boolean;
  isUnderline?: boolean;
  highlight?: string | null;
}

/** Paragraphs of the document in order (a table row's cells joined into one line), with run marks. */
export async function docxLines(file: string): Promise<Line[]> {
  const lines: Line[] = [];
  const runText = (node: DocNode): string =>
    node.type === "text" ? (node.value ?? "") : node.type === "tab" ? "\t" : (node.children ?? []).map(runText).join("");
  const inline = (node: DocNode, out: Line, marked: boolean): void => {
    if (node.type === "run") {
      out.push({ text: runText(node), marked: marked || Boolean(node.isBold || node.isUnderline || node.highlight) });
      return;
    }
    for (const child of node.children ?? []) inline(child, out, marked);
  };
  const walk = (node: DocNode): void => {
    if (node.type === "paragraph") {
      const line: Line = [];
      inline(node, line, false);
      lines.push(line);
    } else if (node.type === "tableRow") {
      const line: Line = [];
      for (const cell of node.children ?? []) {
        if (line.length) line.push({ text: " ", marked: false });
        inline(cell, line, false);
      }
      lines.push(line);
    } else for (const child of node.children ?? []) walk(child);
  };
  // Loaded on first use: only an organizer's upload needs them.
  const { default: mammoth } = await import("mammoth");
  await mammoth.convertToHtml(
    { buffer: await withColourAsHighlight(await readFile(file)) },
    {
      transformDocument: (document: DocNode) => {
        walk(document);
        return document;
      },
    },
  );
  return lines;
}

const RUN_PROPERTIES = /<w:rPr(\s[^>]*)?>([\s\S]*?)<\/w:rPr>/g;
const COLOUR = /<w:color\b[^>]*\bw:val="([0-9A-Fa-f]{6}|auto)"/;

/** A text colour that stands out: neither automatic nor black or near-black (dark grey body text). */
function isMarkingColour(value: string): boolean {
  if (value === "auto") return false;
  const channels = [0, 2, 4].map((i) => Number.parseInt(value.slice(i, i + 2), 16));
  return Math.max(...channels) >= 0x60;
}

/** The document with every coloured run also highlighted (what mammoth can see). */
async function withColourAsHighlight(docx: Buffer): Promise<Buffer> {
  const { default: JSZip } = await import("jszip");
  const zip = await JSZip.loadAsync(docx);
  const part = zip.file("word/document.xml");
  if (!part) return docx; // not a Word document: mammoth says so
  const xml = await part.async("string");
  let changed = false;
  const marked = xml.replace(RUN_PROPERTIES, (whole, attributes: string | undefined, inner: string) => {
    const colour = COLOUR.exec(inner)?.[1];
    if (!colour || !isMarkingColour(colour) || inner.includes("<w:highlight")) return whole;
    changed = true;
    return `<w:rPr${attributes ?? ""}>${inner}<w:highlight w:val="yellow"/></w:rPr>`;
  });
  if (!changed) return docx;
  zip.file("word/document.xml", marked);
  return zip.generateAsync({ type: "nodebuffer" });
}
