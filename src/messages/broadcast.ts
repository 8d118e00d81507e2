// Messages sent to many people at once: round reminders, result notices, announcements.

export const BROADCAST = {
  roundReminder: (round: number, opens: string) =>
    `⏰ Vòng ${round} của cuộc thi mở lúc ${opens}. Mỗi người được thi một lần mỗi vòng; khi vòng mở, bấm «Bắt đầu thi» hoặc gửi /thi.`,
  roundClosedGeneric: (round: number) => `Vòng ${round} đã kết thúc. Cảm ơn bạn đã tham gia!`,
  roundResultNotice: (round: number, score: number, total: number, duration: string, rank: number | undefined, ranked: number) =>
    `🏁 Vòng ${round} đã kết thúc. Kết quả của bạn: đúng ${score}/${total} câu, thời gian ${duration}.` +
    (rank !== undefined ? ` Xếp hạng: ${rank}/${ranked}.` : " Bài của bạn không tham gia xếp hạng.") +
    " Gửi /ketqua để xem lại bài làm cùng đáp án và giải thích.",
  reminderCampaignName: (round: number) => `Nhắc vòng ${round}`,
  resultsCampaignName: (round: number) => `Kết quả vòng ${round}`,
  announcementCampaignName: (round: number) => `Công bố vòng ${round}`,
  announcementLine: (rank: number, maskedName: string, unit: string, score: number, duration: string) =>
    `${rank}. ${maskedName} – ${unit}: ${score} câu đúng, ${duration}`,
  roundAnnouncement: (round: number, participants: number, actual: number | null, lines: string[], unitLines: string[] = []) =>
    `📣 Kết quả vòng ${round}: ${participants} người dự thi` +
    (actual !== null ? `, ${actual} người trả lời đúng tất cả các câu` : "") +
    `.\nDẫn đầu:\n${lines.join("\n")}` +
    (unitLines.length ? `\nGiải tập thể:\n${unitLines.join("\n")}` : ""),
  unitPrizeLine: (rank: number, unit: string, prize: string, explanation: string) => `${rank}. ${unit} – ${prize} (${explanation})`,
} as const;
