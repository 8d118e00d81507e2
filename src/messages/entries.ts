// Messages about written entries (plans 001 and 003): the draft, its parts, submission.

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

export const ENTRIES = {
  entryCard: (e: {
    code: string;
    status: "DRAFT" | "SUBMITTED" | "WITHDRAWN";
    title: string;
    chars: number;
    authors: string[];
    files: string[];
    essays?: { answered: number; total: number };
    deadline: string;
  }) =>
    `📝 Bài dự thi ${e.code} – ${{ DRAFT: "bản nháp", SUBMITTED: "đã nộp", WITHDRAWN: "đã rút" }[e.status]}\n` +
    `Tên bài: ${e.title || "(chưa đặt)"}\n` +
    `Nội dung: ${e.chars ? `${e.chars.toLocaleString("vi-VN")} ký tự` : "(chưa có)"}\n` +
    (e.authors.length ? `Đồng tác giả: ${e.authors.join("; ")}\n` : "") +
    `Tệp đính kèm: ${e.files.length ? e.files.join(", ") : "(không có)"}\n` +
    (e.essays ? `Câu tự luận: đã trả lời ${e.essays.answered}/${e.essays.total}\n` : "") +
    `Hạn nộp: ${e.deadline}`,
  entryNone:
    "Bạn chưa có bài dự thi nào. Bấm «Soạn bài» để bắt đầu; bản nháp được giữ lại, bạn có thể quay lại hoàn thiện bất cứ lúc nào trước hạn.",
  entryNotWritten: "Cuộc thi này là thi trắc nghiệm, không nhận bài viết.",
  writtenOnly: "Cuộc thi này nhận bài viết, không có phần thi trắc nghiệm. Mở «Bài dự thi» để soạn và nộp bài.",
  askEntryTitle: "Gửi tên (tiêu đề) của bài dự thi.",
  askEssay: (k: number, n: number, question: string, previous?: string) =>
    `📝 Câu tự luận ${k}/${n}: ${question}\nGửi câu trả lời trong một tin nhắn.` +
    (previous ? `\n(Trả lời hiện tại: ${previous.slice(0, 200)}${previous.length > 200 ? "…" : ""})` : ""),
  essaysDone: "Đã trả lời đủ các câu tự luận.",
  askEntryText: "Gửi nội dung bài dự thi. Bạn có thể gửi thành nhiều tin nhắn; mỗi tin được nối tiếp vào bài. Bấm «Xong» khi đã gửi hết.",
  askEntryAuthor: "Gửi họ tên và đơn vị của một đồng tác giả, dạng: Nguyễn Văn A – Phòng Nội vụ.",
  askEntryFiles: (types: string[], maxCount: number, maxBytes: number) =>
    `Gửi tệp đính kèm (${types.join(", ")}; tối đa ${maxCount} tệp, mỗi tệp không quá ${mb(maxBytes)}). Bấm «Xong» khi đã gửi hết.`,
  entryTextAdded: (chars: number) => `Đã thêm vào bài (tổng ${chars.toLocaleString("vi-VN")} ký tự). Gửi tiếp hoặc bấm «Xong».`,
  entryFileAdded: (name: string, count: number) => `Đã đính kèm «${name}» (${count} tệp). Gửi tiếp hoặc bấm «Xong».`,
  entryAuthorFormat: "Vui lòng gửi theo dạng: Họ và tên – Đơn vị.",
  entryReceipt: (code: string, title: string, at: string) =>
    `✅ Đã nộp bài dự thi «${title}». Mã bài: ${code} (nộp lúc ${at}). Hãy lưu mã này; bạn có thể sửa hoặc rút bài trước hạn nộp.`,
  entryWithdrawn: (code: string) => `Đã rút bài ${code}. Bạn có thể mở lại để sửa và nộp lại trước hạn.`,
  entryReopened: (code: string) => `Bài ${code} đã trở lại thành bản nháp. Sửa xong, bấm «Nộp bài» để nộp lại.`,
  entryRefused: {
    closed: "Đã hết hạn nhận bài dự thi.",
    tooLong: (max: number) => `Bài dài quá giới hạn ${max.toLocaleString("vi-VN")} ký tự; phần vừa gửi chưa được thêm.`,
    tooManyFiles: (max: number) => `Mỗi bài được đính kèm tối đa ${max} tệp.`,
    fileTooBig: (maxBytes: number) => `Tệp quá lớn: mỗi tệp không quá ${mb(maxBytes)}.`,
    fileType: (types: string[]) => `Loại tệp này không được nhận. Chỉ nhận: ${types.join(", ")}.`,
    noGroups: "Cuộc thi này chỉ nhận bài cá nhân.",
    incomplete: "Bài cần có tên và nội dung (hoặc tệp đính kèm) trước khi nộp.",
    unitLimit: (n: number) => `Đơn vị của bạn đã nộp đủ ${n} bài theo thể lệ.`,
    essays: (n: number) => `Còn ${n} câu tự luận chưa trả lời. Bấm «Câu tự luận» để trả lời trước khi nộp.`,
    limit: (n: number) => `Mỗi người được nộp tối đa ${n} bài. Hãy rút một bài đã nộp nếu muốn nộp bài khác.`,
  },
  entryAdvanced: (code: string, level: string, next: string) =>
    `🎉 Bài dự thi ${code} của bạn đã vượt qua ${level} và vào ${next}. Chúc mừng bạn!`,
  entryNotAdvanced: (code: string, level: string) =>
    `Kết quả ${level}: bài dự thi ${code} của bạn chưa được chọn vào vòng sau. Cảm ơn bạn đã tham gia cuộc thi!`,
  entryFinalPlace: (code: string, level: string, rank: number, prize: string | null) =>
    `🏁 Kết quả ${level}: bài dự thi ${code} của bạn xếp thứ ${rank}` +
    (prize ? ` và đạt ${prize}. Chúc mừng bạn!` : ". Cảm ơn bạn đã tham gia!"),
  entriesAnnouncement: (level: string, lines: string[]) => `📣 Kết quả ${level} cuộc thi:\n${lines.join("\n")}`,
  entriesAnnouncementLine: (rank: number, code: string, title: string, author: string, unit: string, prize: string | null) =>
    `${rank}. ${code} «${title}» – ${author} (${unit})${prize ? `: ${prize}` : ""}`,
  levelResultsName: (level: string) => `Kết quả ${level}`,
  entryPrintMeta: (authors: string, unit: string, at: string) => `Tác giả: ${authors} · Đơn vị: ${unit} · Nộp lúc: ${at}`,
  entryPrintEssay: (k: number, question: string) => `Câu tự luận ${k}: ${question}`,
  entryPrintFiles: (files: string[]) => `Tệp đính kèm: ${files.join(", ")}`,
  entryPrintNone: "Đơn vị chưa có bài dự thi nào.",
  entryFileMissing: (name: string) => `Tệp «${name}» chưa được lưu (đang lấy từ nền tảng, hoặc đã hết hạn).`,
  entryFileNoDraft: "Để gửi tệp cho bài dự thi, hãy mở «Bài dự thi» và bấm «Đính kèm» trước.",
} as const;
