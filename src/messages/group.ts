// Texts for Telegram groups tied to a unit.

export const GROUP = {
  groupInvite: (title: string, unitName?: string) =>
    `Cuộc thi «${title}» diễn ra trong tin nhắn riêng với bot.` +
    (unitName ? ` Bấm nút dưới đây để tham gia; bạn sẽ được tính cho đơn vị ${unitName}.` : " Bấm nút dưới đây để tham gia."),
  groupOpenPrivate: "👉 Tham gia cuộc thi",
  groupUnitSet: (unitName: string) => `Đã gắn nhóm này với đơn vị ${unitName}. Người tham gia từ nhóm sẽ được tính cho đơn vị này.`,
  groupUnitUnknown: "Mã đơn vị không đúng. Cú pháp: /donvi <mã đơn vị>, ví dụ: /donvi TDP05.",
  groupUnitForbidden: "Chỉ Ban Tổ chức mới được gắn nhóm với đơn vị.",
  groupRoundStanding: (round: number, unit: string, people: number, rate: number | null, rank: number | null, competing: number) =>
    `📣 Vòng ${round} đã kết thúc. ${unit}: ${people} người dự thi` +
    (rate !== null ? ` (${Math.round(rate * 1000) / 10}% chỉ tiêu)` : "") +
    (rank !== null ? `, xếp hạng ${rank}/${competing} đơn vị.` : ".") +
    " Cảm ơn mọi người đã tham gia!",
  groupDailyDigest: (round: number, unit: string, people: number, base: number | null, rate: number | null, change: number) =>
    `📊 Vòng ${round} – ${unit}: ${people}${base ? `/${base}` : ""} người đã dự thi` +
    (rate !== null ? ` (${rate}%)` : "") +
    `, ${change >= 0 ? "+" : ""}${change} người trong 24 giờ qua. Ai chưa thi, bấm vào bot để tham gia!`,
} as const;
