// Group commit: while one statement for a kind of write is on its way, the writes that arrive
// meanwhile wait and go together in the next one — one statement and one commit for many under
// load, the same single statement as before when traffic is light (nothing waits for a timer).
// Each caller gets its own result, or the statement's error, only once its write is committed.

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];
  private flushing = false;

  /**
   * `write` performs one batch (in arrival order) and returns one result per item, in order;
   * `maxBatch` bounds one statement's size.
   */
  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 500,
  ) {}

  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const results = await this.write(batch.map((p) => p.item));
          for (const [i, p] of batch.entries()) p.resolve(results[i]!);
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
