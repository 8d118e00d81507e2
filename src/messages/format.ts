// Words used when formatting times, durations and ranking explanations.
export const FORMAT = {
  dateTime: "HH:mm 'ngày' dd/MM/yyyy",
  minutesSeconds: (m: number, s: string) => `${m} phút ${s} giây`,
  seconds: (s: number) => `${s} giây`,
  rankScore: (score: number) => `đúng ${score}`,
  rankNoPrediction: "không dự đoán",
  rankPredictionDiff: (diff: number) => `lệch dự đoán ${diff}`,
  rankDuration: (ms: number) => `thời gian ${ms} ms`,
  unitParticipants: (n: number) => `${n} người dự thi`,
  unitRate: (percent: number) => `tỷ lệ tham gia ${percent}%`,
  unitNoRate: "chưa có chỉ tiêu",
  unitPerfect: (n: number) => `${n} bài đúng hết`,
  unitCorrect: (n: number) => `${n} câu đúng`,
  unitNoDuration: "chưa có bài thi",
  rankSubmittedAt: (iso: string) => `nộp lúc ${iso}`,
} as const;
