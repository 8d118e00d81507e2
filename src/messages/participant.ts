// What a participant reads in the conversation: registration, attempts, results, help.

/** What the person typed, quoted back: short enough never to push a reply past a platform's limit. */
const clip = (text: string, max = 60) => ([...text].length <= max ? text : `${[...text].slice(0, max).join("")}…`);

/** Exactly the data the contest asks for: the usual four, and the further fields it names. */
function consentFor(extra: string[]): string {
  return (
    "🔒 Để tham gia, Ban Tổ chức cần thu thập họ tên, ngày sinh, số điện thoại và đơn vị của bạn" +
    (extra.length ? `, cùng ${extra.join(", ")}` : "") +
    ", chỉ để xác minh người dự thi, xếp hạng và trao giải, theo quy định về bảo vệ dữ liệu cá nhân. " +
    "Thông tin không được công khai; bảng xếp hạng chỉ hiện tên viết tắt và đơn vị.\n\nBạn có đồng ý không?"
  );
}

export const PARTICIPANT = {
  welcome: (title: string, organizer: string, unitName?: string) =>
    `Xin chào! Đây là ${title}, do ${organizer} tổ chức.${unitName ? `\n\nBạn tham gia qua đường dẫn của đơn vị: ${unitName}.` : ""}`,
  rulesSummary: (rules: string) => `📋 Thể lệ tóm tắt:\n${rules.trim()}`,
  consent: consentFor([]),
  /** The consent naming the contest's further fields too. */
  consentFor,
  consentRefused:
    "Bạn đã không đồng ý nên Ban Tổ chức không lưu thông tin nào của bạn. Nếu đổi ý, hãy gửi /start để bắt đầu lại. Cảm ơn bạn!",
  askName: "Bước 1/4. Vui lòng nhập họ và tên đầy đủ của bạn (có dấu), ví dụ: Nguyễn Thị Lan.",
  nameTooShort: "Họ tên cần có ít nhất 2 chữ cái. Vui lòng nhập lại họ và tên đầy đủ.",
  nameTooLong: "Họ tên dài quá 100 ký tự. Vui lòng nhập lại.",
  nameInvalid: "Họ tên chỉ gồm chữ cái và khoảng trắng, không có số hay ký hiệu. Vui lòng nhập lại, ví dụ: Nguyễn Thị Lan.",
  askBirth: "Bước 2/4. Vui lòng nhập ngày sinh theo dạng ngày/tháng/năm, ví dụ: 05/03/1990.",
  birthFormat: "Chưa đọc được ngày sinh. Vui lòng nhập theo dạng ngày/tháng/năm, ví dụ: 05/03/1990.",
  birthImpossible: "Ngày sinh này không có thật. Vui lòng kiểm tra lại ngày, tháng, năm.",
  birthFuture: "Ngày sinh không thể ở tương lai. Vui lòng nhập lại.",
  birthTooYoung: (minimumAge: number) => `Rất tiếc, cuộc thi dành cho người từ đủ ${minimumAge} tuổi trở lên.`,
  audienceTooYoung: (audience: string, minimumAge: number) =>
    `Rất tiếc, đối tượng «${audience}» dành cho người từ đủ ${minimumAge} tuổi trở lên. Bạn vui lòng chọn đối tượng phù hợp.`,
  askPhoneContactOrTyped:
    "Bước 3/4. Bấm «Chia sẻ thông tin» trong khung vừa gửi để xác nhận số điện thoại của bạn, hoặc gõ số điện thoại di động, ví dụ: 0912 345 678.",
  phoneTakenUnverified:
    "Số điện thoại này đã được đăng ký dự thi. Số gõ tay chưa được xác minh nên không thể dùng chung hồ sơ đó: hãy dùng nút chia sẻ số điện thoại của ứng dụng để xác minh, hoặc liên hệ Ban Tổ chức.",
  askPhoneContact: "Bước 3/4. Vui lòng bấm nút «📱 Chia sẻ số điện thoại» bên dưới để xác nhận số điện thoại của bạn.",
  askPhoneTyped: "Bước 3/4. Vui lòng nhập số điện thoại di động của bạn, ví dụ: 0912 345 678.",
  phoneInvalid: "Số điện thoại chưa đúng. Vui lòng nhập số di động Việt Nam gồm 10 chữ số, ví dụ: 0912 345 678.",
  phoneUseButton: "Để bảo đảm chính xác, vui lòng dùng nút «📱 Chia sẻ số điện thoại» bên dưới thay vì gõ số.",
  contactNotOwn: "Đây không phải số điện thoại của chính bạn. Vui lòng bấm nút «📱 Chia sẻ số điện thoại» để chia sẻ số của mình.",
  linkedExisting: (name: string) =>
    `Số điện thoại này đã đăng ký dự thi với tên ${name}. Tài khoản này đã được liên kết với hồ sơ đó; lượt thi vẫn tính chung cho một người.`,
  simulatorPhoneTaken:
    "Số điện thoại này đã được một người dự thi đăng ký qua Telegram hoặc Zalo. Trình mô phỏng không được dùng số của người thật; vui lòng dùng số khác.",
  askUnit: "Bước 4/4. Vui lòng chọn đơn vị của bạn (cơ quan, trường học hoặc tổ dân phố). Bạn cũng có thể gõ tên đơn vị để tìm.",
  askUnitIn: (name: string) => `Đơn vị trực thuộc ${name}. Chọn đơn vị của bạn, hoặc chọn chính ${name}:`,
  unitSearchResults: (query: string) => `Các đơn vị khớp với «${clip(query)}»:`,
  unitNotFound: (query: string) => `Không tìm thấy đơn vị nào khớp với «${clip(query)}». Vui lòng chọn trong danh sách hoặc gõ tên khác.`,
  unitFromReferral: (name: string) => `Đơn vị của bạn: ${name} (theo đường dẫn bạn đã dùng).`,
  unknownReferral: "Mã đơn vị trong đường dẫn không đúng; bạn sẽ chọn đơn vị ở bước sau.",
  askAudience: "Bạn tham gia với tư cách nào?",
  extraLabels: {
    address: "Địa chỉ (thôn/tổ dân phố, xã/phường)",
    gender: "Giới tính",
    occupation: "Nghề nghiệp",
    school: "Trường",
    className: "Lớp",
    workplace: "Nơi công tác",
    email: "Email",
    idCard: "Số CCCD/CMND",
  },
  askExtra: (label: string, choice: boolean, required: boolean) =>
    `${choice ? "Vui lòng chọn" : "Vui lòng nhập"} ${label.charAt(0).toLowerCase()}${label.slice(1)}` +
    (required ? "." : " (không bắt buộc, có thể bỏ qua)."),
  extraLine: (label: string, value: string) => `• ${label}: ${value}`,
  extraEmailInvalid: "Địa chỉ email chưa đúng, ví dụ: ten@gmail.com.",
  extraIdCardInvalid: "Số CCCD gồm 12 chữ số (CMND cũ: 9 chữ số).",
  extraLength: "Vui lòng nhập từ 2 đến 200 ký tự.",
  extraRequired: "Thông tin này là bắt buộc.",
  rosterFound: (unit: string, audience: string) =>
    `Số điện thoại của bạn có trong danh sách dự thi của đơn vị: ${unit} (${audience}). Thông tin này đã được điền sẵn; bạn kiểm tra lại ở bước xác nhận.`,
  confirmProfile: (p: { fullName: string; birth: string; phone: string; unit: string; audience?: string; extra?: string[] }) =>
    `Vui lòng kiểm tra lại thông tin:\n👤 Họ tên: ${p.fullName}\n🎂 Ngày sinh: ${p.birth}\n📱 Số điện thoại: ${p.phone}\n🏢 Đơn vị: ${p.unit}` +
    (p.audience ? `\n👥 Đối tượng: ${p.audience}` : "") +
    (p.extra?.length ? `\n${p.extra.join("\n")}` : "") +
    "\n\nNếu đúng, bấm «Xác nhận». Nếu cần sửa, bấm nút tương ứng.",
  registered: (name: string) => `🎉 Đăng ký thành công! Chào mừng ${name}.`,
  profileUpdated: "Đã cập nhật thông tin của bạn.",
  menu: "Bạn muốn làm gì tiếp theo?",
  welcomeBack: (name: string) => `Chào ${name}! Bạn đã đăng ký dự thi.`,
  profile: (p: { fullName: string; birth: string; phone: string; unit: string; audience?: string; extra?: string[] }) =>
    `👤 Hồ sơ dự thi\nHọ tên: ${p.fullName}\nNgày sinh: ${p.birth}\nSố điện thoại: ${p.phone}\nĐơn vị: ${p.unit}` +
    (p.audience ? `\nĐối tượng: ${p.audience}` : "") +
    (p.extra?.length ? `\n${p.extra.join("\n")}` : ""),
  phoneLocked: "Số điện thoại là định danh dự thi nên không sửa được sau khi đăng ký. Nếu cần đổi, vui lòng liên hệ Ban Tổ chức.",
  help: (limitMinutes: number, count: number, prediction: boolean, certificates = false) =>
    `❓ Hướng dẫn\n• /start – bắt đầu, đăng ký\n• /thi – bắt đầu lượt thi của vòng đang mở\n• /ketqua – xem kết quả của bạn\n• /hoso – xem, sửa hồ sơ\n` +
    (certificates ? "• /chungnhan – nhận giấy chứng nhận\n" : "") +
    "\n" +
    `Mỗi lượt thi gồm ${count} câu hỏi${prediction ? " và 1 câu dự đoán" : ""}, làm trong tối đa ${limitMinutes} phút. ` +
    "Bấm nút để chọn đáp án (hoặc gõ A, B, C, D). Mỗi vòng chỉ được thi một lần.",
  notRegistered: "Bạn chưa đăng ký dự thi. Gửi /start để đăng ký.",
  noOpenRound: (next?: string) =>
    next ? `Hiện chưa có vòng thi nào đang mở. Vòng tiếp theo mở lúc ${next}.` : "Cuộc thi hiện không có vòng thi nào đang mở hoặc sắp mở.",
  alreadyAttempted: (round: number, next?: string) =>
    `Bạn đã hoàn thành lượt thi vòng ${round}.${next ? ` Vòng tiếp theo mở lúc ${next}.` : ""}`,
  attemptIntro: (round: number, count: number, limitMinutes: number, deadline: string) =>
    `📝 Vòng ${round}: ${count} câu hỏi, thời gian tối đa ${limitMinutes} phút (hết giờ lúc ${deadline}). Chúc bạn thi tốt!`,
  resumeAttempt: "Bạn đang làm dở lượt thi. Tiếp tục nhé:",
  question: (k: number, n: number, left: string, text: string, options: string[]) =>
    `Câu ${k}/${n} · ⏱ còn ${left}\n\n${text}\n\n${options.map((o, i) => `${"ABCDEF"[i]}. ${o}`).join("\n")}`,
  answerHint: "Vui lòng bấm một đáp án (hoặc gõ A, B, C, D).",
  answerRecorded: "Đã ghi nhận câu trả lời.",
  staleButton: "Nút này thuộc câu hỏi đã trả lời hoặc lượt thi khác; câu trả lời đã ghi không thay đổi.",
  alreadySubmitted: "Bài thi đã được nộp.",
  alreadyRegistered: "Bạn đã đăng ký dự thi xong.",
  timeUp: "⏰ Đã hết thời gian làm bài. Câu trả lời gửi sau thời hạn không được tính; bài thi được chấm với các câu bạn đã trả lời.",
  askPrediction: (question: string) => `🔮 Câu hỏi dự đoán: ${question}\nVui lòng nhập một số nguyên, ví dụ: 125.`,
  predictionInvalid: "Vui lòng nhập một số nguyên không âm (chỉ gồm chữ số), ví dụ: 125.",
  confirmSubmit: (answered: number, total: number, prediction?: number) =>
    `Bạn đã trả lời ${answered}/${total} câu.` +
    (prediction !== undefined ? ` Dự đoán của bạn: ${prediction}.` : "") +
    "\nBấm «Nộp bài» để hoàn thành. Sau khi nộp không sửa được.",
  result: (score: number, total: number, duration: string, reveal: string) =>
    `✅ Bạn đã nộp bài: đúng ${score}/${total} câu, thời gian ${duration}.\nĐáp án và xếp hạng sẽ được công bố sau khi vòng thi kết thúc (${reveal}).`,
  expiredResult: (score: number, total: number) => `Bài thi đã được chấm khi hết giờ: đúng ${score}/${total} câu.`,
  myResults: (lines: string[]) => (lines.length ? `🏆 Kết quả của bạn:\n${lines.join("\n")}` : "Bạn chưa có lượt thi nào."),
  resultLine: (round: number, score: number, total: number, duration: string, status: string) =>
    `• Vòng ${round}: ${score}/${total} câu, ${duration}${status ? ` (${status})` : ""}`,
  inProgressLine: (round: number) => `• Vòng ${round}: đang làm bài`,
  expiredTag: "hết giờ",
  numberedChoiceHint: "(Gõ số thứ tự để chọn)",
  reviewButton: (round: number) => `📖 Đáp án vòng ${round}`,
  reviewNotYet: (closes: string) => `Đáp án được công bố sau khi vòng thi kết thúc (${closes}).`,
  reviewItem: (k: number, text: string, chosen: string | undefined, correct: string, explanation: string) =>
    `Câu ${k}. ${text}\nBạn chọn: ${chosen ?? "(không trả lời)"} ${chosen === correct ? "✅" : "❌"}\nĐáp án đúng: ${correct}\n💡 ${explanation}`,
  practiceNote: "Bạn thuộc Ban Tổ chức/Ban Giám khảo: bạn có thể thi thử nhưng kết quả không được xếp hạng.",
  unsupported: "Bot chỉ đọc được tin nhắn chữ và các nút bấm. Vui lòng trả lời bằng chữ hoặc bấm nút.",
  unknownText: "Mình chưa hiểu yêu cầu này. Vui lòng chọn một mục bên dưới.",
  useButtons: "Vui lòng bấm một trong các nút bên dưới.",
  commandDuringRegistration: "Bạn đang đăng ký dở. Hoàn thành bước hiện tại trước nhé (hoặc gửi /start để làm lại từ đầu).",
  contactReceived: "Đã nhận số điện thoại của bạn.",
} as const;
