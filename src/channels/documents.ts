// The files the bot sends, drawn when a message is delivered (the outbox keeps references only):
// a certificate's PDF by its verification code, a unit's QR code (PNG) for its admin to forward.
// Each comes with the page that serves it, for a platform that refuses the file.

import type { CertificateService } from "../certificates/certificates.js";
import { unitLinks } from "../contest/unit-links.js";
import { qrPng } from "../pdf/qr.js";
import type { DocumentLoader } from "../pipeline/outbox.js";

export function documentLoader(deps: {
  certificates: CertificateService;
  /** The server's public address (verification links). */
  verifyBase: () => string;
  links: { telegramBot?: string; publicUrl?: string };
}): DocumentLoader {
  return async (ref) => {
    if (ref.kind === "unitQr") {
      const links = unitLinks(ref.code, deps.links);
      const url = links.landing ?? links.telegram;
      return url ? { bytes: await qrPng(url, 600), filename: ref.filename, link: url } : undefined;
    }
    const file = await deps.certificates.pdf(ref.code, deps.verifyBase());
    return file && { ...file, link: new URL(`/chungnhan/${ref.code}/pdf`, deps.verifyBase()).toString() };
  };
}
