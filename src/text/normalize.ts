// Vietnamese text helpers: NFC before storage or comparison, and a folded form for search.

export function nfc(text: string): string {
  return text.normalize("NFC").replace(/\s+/g, " ").trim();
}

/** Lower case, without diacritics (đ → d): for searching names and matching headers. */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
}
