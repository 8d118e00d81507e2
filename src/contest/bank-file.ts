// A question bank file of any accepted kind: a spreadsheet (.csv, .xlsx) or a document
// (.docx, .txt) laid out as secretariats write them.
import path from "node:path";
import { type DocumentBankOptions, readDocumentBank } from "./document-bank.js";
import { type ParsedBank, readQuestionBank } from "./question-bank.js";

export const BANK_EXTENSIONS = [".csv", ".xlsx", ".docx", ".txt"];

export async function readBankFile(file: string, options: DocumentBankOptions = {}): Promise<ParsedBank> {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".docx" || ext === ".txt") return readDocumentBank(file, options);
  if (ext === ".csv" || ext === ".xlsx") return readQuestionBank(file, options.knownAudiences);
  throw new Error(`${file}: expected one of ${BANK_EXTENSIONS.join(", ")}`);
}
