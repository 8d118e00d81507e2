// Button labels and the platform command menu (Vietnamese, NFC).

export const BUTTONS = {
  consentYes: "✅ Tôi đồng ý",
  consentNo: "Không đồng ý",
  shareContact: "📱 Chia sẻ số điện thoại",
  confirm: "✅ Xác nhận",
  editName: "✏️ Sửa họ tên",
  editBirth: "✏️ Sửa ngày sinh",
  editPhone: "✏️ Sửa số điện thoại",
  editUnit: "✏️ Sửa đơn vị",
  editAudience: "✏️ Sửa đối tượng",
  editExtra: "✏️ Sửa thông tin bổ sung",
  skip: "⏭ Bỏ qua",
  start: "📝 Bắt đầu thi",
  results: "🏆 Kết quả của tôi",
  profile: "👤 Hồ sơ",
  help: "❓ Hướng dẫn",
  certificates: "🏅 Giấy chứng nhận",
  unitMenu: "🏢 Quản trị đơn vị",
  unitStanding: "📊 Đơn vị của tôi",
  unitLinks: "🔗 Link và mã QR",
  unitRemind: "📣 Nhắc người chưa thi",
  send: "✅ Gửi",
  cancel: "Huỷ",
  editProfile: "✏️ Sửa thông tin",
  chooseThisUnit: "✅ Chọn đơn vị này",
  back: "↩️ Quay lại",
  submit: "📨 Nộp bài",
  editPrediction: "✏️ Sửa dự đoán",
  more: "Xem thêm ▶",
} as const;

/** Descriptions of the bot's commands in the platform menu. */
export const COMMAND_MENU = [
  { command: "start", description: "Bắt đầu, đăng ký dự thi" },
  { command: "thi", description: "Bắt đầu lượt thi của vòng đang mở" },
  { command: "ketqua", description: "Xem kết quả của tôi" },
  { command: "hoso", description: "Xem, sửa hồ sơ dự thi" },
  { command: "chungnhan", description: "Nhận giấy chứng nhận" },
  { command: "huongdan", description: "Hướng dẫn" },
] as const;

/** The word that stands for each command where people do not type slash commands (Zalo). */
export const COMMAND_WORDS = {
  start: "Bắt đầu",
  thi: "Thi",
  ketqua: "Kết quả",
  hoso: "Hồ sơ",
  huongdan: "Hướng dẫn",
  chungnhan: "Chứng nhận",
} as const;
