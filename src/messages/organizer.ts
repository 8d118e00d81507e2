// Texts for organizers using the bot (/thongke, /guitin).

export const ORGANIZER = {
  organizerStats: (s: { registered: number; round: number | null; attempted: number; perfect: number; units: string[] }) =>
    `📊 Số liệu trực tiếp\nĐã đăng ký: ${s.registered}\n` +
    (s.round !== null ? `Vòng ${s.round}: ${s.attempted} lượt thi, ${s.perfect} bài đúng hết\n` : "Hiện không có vòng thi đang mở\n") +
    (s.units.length ? `Đơn vị dẫn đầu:\n${s.units.join("\n")}` : ""),
  statsUnitLine: (rank: number, name: string, participants: number, rate: number | null) =>
    `${rank}. ${name}: ${participants} người${rate !== null ? ` (${Math.round(rate * 100)}%)` : ""}`,
  broadcastUsage: "Cú pháp: /guitin <nội dung tin nhắn>. Bot sẽ cho xem trước và hỏi xác nhận trước khi gửi tới mọi người dự thi.",
  broadcastPreview: (text: string, recipients: number, blocked: number) =>
    `Xem trước tin sẽ gửi:\n\n${text}\n\nNgười nhận: ${recipients} tài khoản (${blocked} đã chặn bot sẽ được bỏ qua). Gửi chứ?`,
  broadcastConfirm: "✅ Gửi",
  broadcastCancel: "Huỷ",
  broadcastQueued: (recipients: number) =>
    `Đã đưa tin vào hàng gửi tới ${recipients} tài khoản. Theo dõi tiến độ bằng CLI hoặc API quản trị.`,
  broadcastCancelled: "Đã huỷ, không gửi tin nào.",
  broadcastExpired: "Bản nháp này đã hết hạn; gửi lại /guitin.",
} as const;
