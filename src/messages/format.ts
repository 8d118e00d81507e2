// Words used when formatting times, durations and ranking explanations.
export const FORMAT = {
  dateTime: "HH:mm 'ngày' dd/MM/yyyy",
  minutesSeconds: (m: number, s: string) => `${m} phút ${s} giây`,
  seconds: (s: number) => `${s} giây`,
  rankScore: (score: number) => `đúng ${score}`,
  rankNoPrediction: "không dự đoán",
  rankPredictionDiff: (diff: number) => `lệch dự đoán ${diff}`,
  rankDuration: (ms: number) => `thời gian ${ms} ms`,
  rankSubmittedAt: (iso: string) => `nộp lúc ${iso}`,
} as const;
