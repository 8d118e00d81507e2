// Question banks as secretariats write them: Word documents (.docx, read with mammoth) and
// plain text laid out as «Câu 1: … A. … B. … C. … D. …», the conventions of the quiz tools
// Vietnamese teachers use (Azota's Word layout, McMIX). The correct option is marked by a
// leading `*`, by bold, underline, highlight or colour on its letter or text (Word), by a line
// «Đáp án: B», or in an answer table at the end («Bảng đáp án»: 1-A, 1.A, 1a…); an explanation
// follows «Lời giải» / «Giải thích». Option letters must be typed (Word's automatic list
// lettering is not part of the text). Each block becomes a row of the spreadsheet import, so
// validation and the report are the same; problems name the question number and its line.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { fold, nfc } from "../text/normalize.js";
import { docxLines, type Line } from "./docx-lines.js";
import { type ParsedBank, parseBankRows } from "./question-bank.js";

export interface DocumentBankOptions {
  /** Question codes are the prefix and the number: CCHC-1, CCHC-2… (default: from the file name). */
  prefix?: string;
  topic?: string;
  source?: string;
  knownAudiences?: string[];
}

interface Block {
  number: number;
  line: number;
  question: string[];
  options: { letter: string; text: string; marked: boolean; starred: boolean }[];
  answerLine?: string;
  explanation: string[];
  problems: string[];
}

const QUESTION = /^c[aâ]u\s*(\d+)\s*[:.)]?\s*(.*)$/i;
/** An option: its letter (optionally starred) then . or ) — several may share a line. */
const OPTION = /(^|\s)(\*?)\s*([A-F])\s*[.)]\s+/g;
const LETTERS = "ABCDEF";

/** The line's text, composed (NFC) but with its spacing kept, so offsets match the pieces. */
const lineText = (line: Line) => line.map((p) => p.text.normalize("NFC")).join("");

/** Reads a .docx or .txt bank into the rows of the spreadsheet import. */
export async function readDocumentBank(file: string, options: DocumentBankOptions = {}): Promise<ParsedBank> {
  const lines = path.extname(file).toLowerCase() === ".docx" ? await docxLines(file) : await textLines(file);
  const prefix =
    options.prefix ??
    (path
      .basename(file, path.extname(file))
      .replace(/[^A-Za-z0-9_.-]/g, "")
      .slice(0, 30) ||
      "Q");
  return parseDocumentLines(lines, { ...options, prefix, source: options.source ?? path.basename(file) });
}

async function textLines(file: string): Promise<Line[]> {
  const text = (await readFile(file, "utf8")).replace(/^\uFEFF/, "");
  return text.split(/\r?\n/).map((l) => [{ text: l, marked: false }]);
}

/** Splits a line into its options when it holds any («A. … B. …»), keeping marks per option. */
function optionsOf(line: Line): Block["options"] {
  const text = lineText(line);
  const starts = [...text.matchAll(OPTION)].map((m) => ({
    at: m.index! + m[1]!.length,
    body: m.index! + m[0]!.length,
    starred: m[2] === "*",
    letter: m[3]!,
  }));
  if (starts.length === 0 || starts[0]!.at !== text.length - text.trimStart().length) return [];
  // Character offsets of marked text, to tell which option carries the mark.
  const marked: boolean[] = [];
  for (const p of line) for (let k = 0; k < p.text.normalize("NFC").length; k++) marked.push(p.marked);
  return starts.map((s, i) => {
    const end = starts[i + 1]?.at ?? text.length;
    const hasMark = marked.slice(s.at, end).some((m, k) => m && text[s.at + k]!.trim() !== "");
    return { letter: s.letter.toUpperCase(), text: nfc(text.slice(s.body, end)), marked: hasMark, starred: s.starred };
  });
}

/** «1-A 2.B 3c» → {1: A, 2: B, 3: C}. */
function answerTable(text: string, into: Map<number, string>): void {
  for (const m of text.matchAll(/(\d+)\s*[-.:)]?\s*([A-Fa-f])(?![A-Za-z])/g)) into.set(Number(m[1]), m[2]!.toUpperCase());
}

export function parseDocumentLines(lines: Line[], options: DocumentBankOptions & { prefix: string; source: string }): ParsedBank {
  const blocks: Block[] = [];
  const table = new Map<number, string>();
  let inTable = false;
  let current: Block | undefined;
  let section: "question" | "options" | "explanation" = "question";
  for (const [i, line] of lines.entries()) {
    const text = lineText(line).trim();
    if (!text) continue;
    const folded = fold(text);
    if (/^bang dap an/.test(folded)) {
      inTable = true;
      answerTable(text.replace(/^[^:]*:?/, ""), table);
      continue;
    }
    if (inTable) {
      answerTable(text, table);
      continue;
    }
    const question = QUESTION.exec(text);
    if (question) {
      current = { number: Number(question[1]), line: i + 1, question: [question[2]!], options: [], explanation: [], problems: [] };
      blocks.push(current);
      section = "question";
      continue;
    }
    if (!current) continue; // a title or instructions before the first question
    const answer = /^dap an\s*(dung)?\s*[:.]?\s*([a-f])\b/i.exec(folded);
    if (answer && section !== "explanation") {
      current.answerLine = answer[2]!.toUpperCase();
      continue;
    }
    const explanation = /^(loi giai|giai thich|huong dan giai)( chi tiet)?\b/.exec(folded);
    if (explanation) {
      section = "explanation";
      // The text after the label: after its colon, or after its words.
      const colon = text.indexOf(":");
      const words = explanation[0].split(" ").length;
      current.explanation.push(colon >= 0 && colon < 40 ? text.slice(colon + 1) : text.split(/\s+/).slice(words).join(" "));
      continue;
    }
    if (section === "explanation") {
      current.explanation.push(text);
      continue;
    }
    const found = optionsOf(line);
    if (found.length > 0) {
      section = "options";
      current.options.push(...found);
    } else if (section === "question") current.question.push(text);
    else if (current.options.length > 0) current.options.at(-1)!.text += ` ${text}`; // an option's text going on
  }

  const header = [
    "code",
    "topic",
    "question",
    ...[..."abcdef"].map((l) => `option_${l}`),
    "correct",
    "explanation",
    "source",
    "status",
    "audiences",
  ];
  const problems = new Map<number, string[]>();
  const rows = blocks.map((b, k) => {
    const letters = b.options.map((o) => o.letter);
    const expected = LETTERS.slice(0, letters.length).split("");
    if (letters.join("") !== expected.join(""))
      b.problems.push(`options must be A, B, C… in order (found ${letters.join(", ") || "none"})`);
    const correct = correctLetter(b, table.get(b.number));
    if (blocks.findIndex((o) => o.number === b.number) !== k) b.problems.push(`question number ${b.number} appears twice`);
    const where = `câu ${b.number}`;
    problems.set(
      k + 2,
      b.problems.map((p) => `${where}: ${p}`),
    );
    return [
      `${options.prefix}-${b.number}`,
      options.topic ?? "Chung",
      b.question.join(" ").trim(),
      ...Array.from({ length: 6 }, (_, j) => b.options[j]?.text ?? ""),
      correct ?? "",
      b.explanation.join(" ").trim(),
      options.source,
      "draft",
      "",
    ];
  });
  if (blocks.length === 0)
    return { accepted: [], rejected: [{ row: 1, reasons: ["no question found (blocks start with «Câu 1:»)"] }], formulaLike: [] };
  const parsed = parseBankRows([header, ...rows], options.knownAudiences, problems);
  // Rows of the generated sheet → the question's line in the document.
  const lineOf = (row: number) => blocks[row - 2]?.line ?? row;
  return {
    accepted: parsed.accepted.map((a) => ({ ...a, row: lineOf(a.row) })),
    rejected: parsed.rejected.map((r) => ({ ...r, row: lineOf(r.row) })),
    formulaLike: parsed.formulaLike.map(lineOf),
  };
}

/** The one answer the block marks, by any convention; problems recorded when none or several. */
function correctLetter(block: Block, fromTable: string | undefined): string | undefined {
  const starred = block.options.filter((o) => o.starred).map((o) => o.letter);
  // Every option marked is a layout (all letters in bold), not an answer.
  const marked = block.options.every((o) => o.marked) ? [] : block.options.filter((o) => o.marked).map((o) => o.letter);
  const candidates = [starred, marked, block.answerLine ? [block.answerLine] : [], fromTable ? [fromTable] : []].filter(
    (c) => c.length > 0,
  );
  const distinct = new Set(candidates.flat());
  if (distinct.size === 0) {
    block.problems.push("no answer marked (*, bold/underline/highlight/colour, «Đáp án: B» or the answer table)");
    return undefined;
  }
  if (distinct.size > 1) {
    block.problems.push(`several answers marked (${[...distinct].join(", ")})`);
    return undefined;
  }
  return [...distinct][0];
}
