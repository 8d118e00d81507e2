// Splits a long message into parts that fit a platform's limit (counted in code points of
// the NFC text), cutting at the largest boundary that works: between paragraphs, then lines,
// then sentences, then words; a single word longer than the limit is the only thing cut.

const BOUNDARIES: { split: RegExp; join: string }[] = [
  { split: /\n{2,}/, join: "\n\n" },
  { split: /\n/, join: "\n" },
  { split: /(?<=[.!?…;:])\s+/, join: " " },
  { split: /\s+/, join: " " },
];

const length = (s: string) => [...s].length;

function pack(pieces: string[], join: string, limit: number, level: number): string[] {
  const parts: string[] = [];
  let current = "";
  for (const piece of pieces) {
    const candidate = current ? `${current}${join}${piece}` : piece;
    if (length(candidate) <= limit) {
      current = candidate;
      continue;
    }
    if (current) parts.push(current);
    if (length(piece) <= limit) current = piece;
    else {
      const smaller = splitAt(piece, limit, level + 1);
      current = smaller.pop() ?? "";
      parts.push(...smaller);
    }
  }
  if (current) parts.push(current);
  return parts;
}

function splitAt(text: string, limit: number, level: number): string[] {
  const boundary = BOUNDARIES[level];
  if (!boundary) {
    const chars = [...text];
    const parts: string[] = [];
    for (let i = 0; i < chars.length; i += limit) parts.push(chars.slice(i, i + limit).join(""));
    return parts;
  }
  return pack(text.split(boundary.split), boundary.join, limit, level);
}

export function splitText(text: string, limit: number): string[] {
  const normalized = text.normalize("NFC");
  if (length(normalized) <= limit) return [normalized];
  return splitAt(normalized, limit, 0).filter((p) => p.trim() !== "");
}
