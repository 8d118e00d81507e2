// Waiting on something for a bounded time: the readiness probe, the webhook's acknowledgement,
// finishing events at shutdown. What is waited on keeps running past the deadline.
export const TIMED_OUT = Symbol("timed out");

/** The promise's outcome, or TIMED_OUT when it has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
