// Texts of certificates: the paper itself (PDF), its verification page and the chat replies
// that deliver it. The `detail…` templates are PostgreSQL format() strings: the details are
// written by the SQL that issues certificates, in the transaction that closes a round.

export const CERTIFICATE = {
  // On the paper
  certNation: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
  certMotto: "Độc lập – Tự do – Hạnh phúc",
  certAwardedTo: "Trao tặng",
  certUnitLabel: "Đơn vị",
  certCollectiveTo: "Trao tặng tập thể",
  /** Prize names are written as organizers wrote them: «Nhất» or «Giải Nhất». */
  certPrizeLine: (prize: string, round: number | null) =>
    `Đã đạt ${/^giải\b/iu.test(prize) ? prize : `giải ${prize}`}${round === null ? " toàn cuộc thi" : ` – Vòng ${round}`}`,
  certParticipationLine: (round: number | null) => `Đã tham gia${round === null ? "" : ` Vòng ${round}`} và đạt kết quả tốt`,
  certContestLine: (title: string) => `Cuộc thi «${title}»`,
  certDateLine: (place: string | undefined, day: number, month: number, year: number) =>
    `${place ? `${place}, ` : ""}ngày ${day} tháng ${month} năm ${year}`,
  certSerial: (serial: string) => `Số: ${serial}`,
  certVerify: "Quét mã để kiểm tra tính xác thực:",
  certOnBehalf: (issuer: string) => `TM. ${issuer.toUpperCase()}`,
  detailPrize: "Đúng %s/%s câu, xếp thứ %s trong %s người dự thi",
  detailAudiencePrize: "Đối tượng %s: đúng %s/%s câu, xếp thứ %s",
  detailParticipation: "Đúng %s/%s câu",
  entryCertificateDetail: (code: string, title: string) => `Bài dự thi ${code} «${title}»`,

  // The verification page
  verifyTitle: "Kiểm tra giấy chứng nhận",
  verifyGenuine: "✅ Giấy chứng nhận hợp lệ, do hệ thống của cuộc thi cấp.",
  verifyUnknown: "❌ Không tìm thấy giấy chứng nhận với mã này. Giấy có thể không do cuộc thi cấp, hoặc mã bị quét sai.",
  verifyHolder: "Người / tập thể nhận",
  verifyContest: "Cuộc thi",
  verifyPrize: "Nội dung",
  verifySerial: "Số",
  verifyIssued: "Ngày cấp",
  verifyDownload: "Tải bản PDF",

  // In chat
  certificatesNone:
    "Bạn chưa có giấy chứng nhận nào. Giấy chứng nhận được cấp cho người đoạt giải (và, nếu cuộc thi có quy định, người đạt đủ số câu đúng) sau khi mỗi vòng kết thúc.",
  certificatesOff: "Cuộc thi này không cấp giấy chứng nhận qua bot.",
  certificateCaption: (what: string, serial: string) => `🏅 ${what}\nSố: ${serial}`,
  certificatesMore: (shown: number, total: number) => `Đã gửi ${shown} giấy gần nhất trong tổng số ${total}.`,
  zaloFileFailed: (link: string) => `Không gửi được tệp qua Zalo lúc này. Bạn có thể mở tệp tại: ${link}`,
  certificateNoticeHint: " 🏅 Bạn được cấp giấy chứng nhận: gửi /chungnhan để nhận bản PDF.",
} as const;
