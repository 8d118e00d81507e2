// Escaping text for the few HTML pages the server writes itself (landing, verification).
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
