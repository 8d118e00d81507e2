// Messages for unit admins in chat (tổ trưởng, unit secretaries): their unit's standing, links
// and QR code, and the reminder to those who have not taken part.

export const UNIT_ADMIN = {
  unitAdminMenu: (unit: string) => `🏢 Công cụ quản trị đơn vị: ${unit}`,
  unitNoRound: "Hiện không có vòng thi nào đang mở.",
  unitStanding: (s: {
    unit: string;
    round: number;
    attempted: number;
    base: number | null;
    rate: number | null;
    rank: number;
    siblings: number;
    parent?: string;
    change: number;
  }) =>
    `📊 ${s.unit} – vòng ${s.round}\n` +
    `Đã dự thi: ${s.attempted}${s.base ? `/${s.base} người (${s.rate}%)` : " người"}\n` +
    `Xếp thứ ${s.rank}/${s.siblings} trong các đơn vị cùng cấp${s.parent ? ` thuộc ${s.parent}` : ""}\n` +
    `So với 24 giờ trước: ${s.change >= 0 ? "+" : ""}${s.change} người`,
  unitLinks: (unit: string, telegram?: string, landing?: string) =>
    `🔗 Mời người dân ${unit} tham gia cuộc thi:` +
    (landing ? `\n• Trang tham gia (Zalo và Telegram): ${landing}` : "") +
    (telegram ? `\n• Telegram: ${telegram}` : "") +
    "\nChuyển tiếp tin này hoặc mã QR dưới đây vào nhóm của đơn vị; người tham gia qua liên kết được tính cho đơn vị.",
  unitLinksMissing: "Chưa cấu hình địa chỉ công khai hay tên bot Telegram nên chưa có liên kết. Vui lòng liên hệ Ban Tổ chức.",
  unitQrCaption: (unit: string) => `Mã QR tham gia cuộc thi – ${unit}`,
  unitRemindPreview: (unit: string, round: number, n: number) =>
    `📣 Lời nhắc sẽ được gửi tới ${n} người đã đăng ký thuộc ${unit} nhưng chưa thi vòng ${round}. Mỗi đơn vị được gửi một lần mỗi ngày. Gửi ngay?`,
  unitRemindNobody: (unit: string, round: number) => `Mọi người đã đăng ký thuộc ${unit} đều đã thi vòng ${round}. Không cần nhắc thêm!`,
  unitRemindText: (unit: string, round: number) =>
    `⏰ ${unit} nhắc bạn: vòng ${round} của cuộc thi đang mở và bạn chưa dự thi. Bấm «Bắt đầu thi» để tham gia ngay!`,
  unitRemindName: (unit: string, day: string) => `Nhắc chưa thi – ${unit} – ${day}`,
  unitRemindQueued: (n: number) => `✅ Đã xếp lịch gửi lời nhắc tới ${n} người.`,
  unitRemindAlready: "Hôm nay đơn vị đã gửi lời nhắc rồi. Bạn có thể gửi lại vào ngày mai.",
  unitRemindCancelled: "Đã huỷ, chưa gửi lời nhắc nào.",
  notUnitAdmin: "Chức năng này dành cho quản trị đơn vị.",
} as const;
