// The links that bring people to the bot crediting a unit: Telegram's deep link carries the
// unit's code as the start parameter; the landing page (PUBLIC_URL/u/<code>) serves Zalo (send
// the code to the OA) and Telegram alike, so it is the one to print when there is a public address.
export interface UnitLinks {
  telegram?: string;
  landing?: string;
}

export function unitLinks(code: string, where: { telegramBot?: string; publicUrl?: string }): UnitLinks {
  const upper = code.toUpperCase();
  return {
    telegram: where.telegramBot ? `https://t.me/${where.telegramBot}?start=${encodeURIComponent(upper)}` : undefined,
    landing: where.publicUrl ? new URL(`/u/${encodeURIComponent(upper)}`, where.publicUrl).toString() : undefined,
  };
}
