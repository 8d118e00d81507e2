// The sample contest with certificates switched on, written to a temporary folder: two weekly
// rounds, the sample's prizes (round, CBCC audience, units), participation from 8 correct
// answers, and one member of the organizing board who plays but is never awarded.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { SAMPLE_CONTEST_FILE } from "../../src/config.js";

export const BOARD_PHONE = "0938000009";

export async function certificateContestFile(): Promise<string> {
  const sample = await readFile(SAMPLE_CONTEST_FILE, "utf8");
  const text = sample
    .replace("slug: mau-cchc-cds", "slug: chung-nhan-thu")
    .replace("    count: 4", "    count: 2")
    .replace("excludedPhones: []", `excludedPhones: ["${BOARD_PHONE}"]`)
    .replace("questionBank: questions.csv", `questionBank: ${path.join(path.dirname(SAMPLE_CONTEST_FILE), "questions.csv")}`);
  const dir = await mkdtemp(path.join(os.tmpdir(), "cb-cert-"));
  const file = path.join(dir, "contest.yaml");
  await writeFile(
    file,
    `${text}
certificates:
  title: Giấy chứng nhận
  place: Phường Mẫu
  signer: { title: Trưởng Ban Tổ chức, name: Hoàng Văn Dũng }
  participation: { minimumCorrect: 8 }
`,
  );
  return file;
}
