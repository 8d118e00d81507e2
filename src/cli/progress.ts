// Progress for long CLI operations: a text bar, and a reporter that redraws it on standard
// error while it is a terminal (plain lines otherwise, e.g. in CI logs).
export function bar(done: number, total: number, width = 30): string {
  const filled = total ? Math.round((done / total) * width) : width;
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}`;
}

export function progressBar(label: string): (done: number, total: number) => void {
  return (done, total) => {
    if (!process.stderr.isTTY) {
      if (done === total) process.stderr.write(`${label}: ${done}/${total}\n`);
      return;
    }
    process.stderr.write(`\r${label} ${bar(done, total)}`);
    if (done === total) process.stderr.write("\n");
  };
}
