// A one-line progress bar on standard error (only when it is a terminal; plain lines otherwise).
export function progressBar(label: string, width = 30): (done: number, total: number) => void {
  return (done, total) => {
    const share = total === 0 ? 1 : done / total;
    if (!process.stderr.isTTY) {
      if (done === total) process.stderr.write(`${label}: ${done}/${total}\n`);
      return;
    }
    const filled = Math.round(share * width);
    process.stderr.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}`);
    if (done === total) process.stderr.write("\n");
  };
}
