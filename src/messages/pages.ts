// Texts of the pages and files people download: unit landing pages and report exports.
export const PAGES = {
  unitNotFound: (code: string) => `Không tìm thấy đơn vị «${code}».`,
  unitYours: "Đơn vị của bạn:",
  unitCode: "mã",
  unitZalo: (link: string, code: string) => `<b>Zalo:</b> mở ${link}, bấm Quan tâm rồi gửi tin nhắn <code>#${code}</code>.`,
  unitZaloLinkText: "Official Account của cuộc thi",
  unitTelegram: (link: string) => `<b>Telegram:</b> ${link}.`,
  unitTelegramLinkText: "mở bot và bấm Bắt đầu",
  unitCredited: "Khi đăng ký, bạn được tính cho đơn vị này.",
} as const;

export const REPORTS = {
  unitTitle: (round?: number) => (round ? `Tham gia theo đơn vị – vòng ${round}` : "Tham gia theo đơn vị – toàn cuộc thi"),
  rankingTitle: (round: number) => `Xếp hạng cá nhân – vòng ${round}`,
  unitColumns: {
    code: "Mã đơn vị",
    name: "Tên đơn vị",
    kind: "Loại",
    base: "Chỉ tiêu/biên chế",
    registered: "Đã đăng ký",
    attempted: "Đã dự thi",
    rate: "Tỷ lệ tham gia (%)",
    averageScore: "Điểm trung bình",
    perfect: "Số bài đúng hết",
    averageSeconds: "Thời gian TB (giây)",
    unitRank: "Hạng tập thể",
    unitPrize: "Giải tập thể",
  },
  rankingColumns: {
    rank: "Hạng",
    name: "Họ và tên",
    unit: "Đơn vị",
    score: "Số câu đúng",
    prediction: "Dự đoán",
    diff: "Chênh lệch dự đoán",
    seconds: "Thời gian (giây)",
    submittedAt: "Nộp bài lúc",
    prize: "Giải",
    phoneVerified: "SĐT đã xác minh",
  },
  yes: "Có",
  no: "Không",
} as const;
